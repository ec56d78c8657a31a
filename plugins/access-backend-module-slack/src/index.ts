/**
 * Slack for just-in-time access: a backend module for the access plugin. Approvers decide in
 * Slack, requesters hear back there.
 *
 * @packageDocumentation
 */
export { accessModuleSlackChat as default } from './module';
export { accessModuleSlackChat } from './module';
export { readSlackChatConfig, DEFAULT_SLACK_API_URL } from './config';
export type { SlackChatConfig } from './config';
export { APPROVE_ACTION, REJECT_ACTION, REASON_CALLBACK } from './blocks';
export { INTERACTIONS_PATH } from './interactions';
