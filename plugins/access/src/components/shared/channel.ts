import {
  AccessChatChannelName,
  RequestChannel,
} from '@jit-access/plugin-access-common';

const CHANNEL_LABELS: Record<RequestChannel | AccessChatChannelName, string> = {
  portal: 'Requested in the portal',
  api: 'Requested through the API',
  action: 'Requested through an assistant',
  // Decisions made in chat.
  slack: 'Decided in Slack',
  teams: 'Decided in Microsoft Teams',
};

/** The chat systems by name, for "Approved by lee … in Slack". */
export const CHAT_NAMES: Record<AccessChatChannelName, string> = {
  slack: 'Slack',
  teams: 'Microsoft Teams',
};

/**
 * Where a request was made (or a decision, in chat), in words; undefined for a value this
 * version does not know.
 */
export function channelLabel(channel: unknown): string | undefined {
  return typeof channel === 'string' && channel in CHANNEL_LABELS
    ? CHANNEL_LABELS[channel as RequestChannel]
    : undefined;
}
