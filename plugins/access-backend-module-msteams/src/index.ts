/**
 * Microsoft Teams for the access plugin: approvers decide on an Adaptive Card in Teams, and
 * requesters hear there how their requests went. Built on the Microsoft 365 Agents SDK.
 *
 * @packageDocumentation
 */
export { accessModuleMsTeams as default } from './module';
export { accessModuleMsTeams } from './module';
export {
  readTeamsChatConfig,
  DEFAULT_AUTHORITY_ENDPOINT,
  DEFAULT_TEAMS_SERVICE_URL,
  type TeamsChatConfig,
} from './config';
export {
  approvalCard,
  requesterUpdateCard,
  APPROVE_VERB,
  REJECT_VERB,
  REASON_INPUT_ID,
  type AdaptiveCard,
  type ApprovalCardOptions,
} from './cards';
export { TEAMS_USER_ANNOTATION } from './TeamsChannel';
