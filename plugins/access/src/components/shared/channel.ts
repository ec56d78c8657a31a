import {
  AccessChatChannelName,
  RequestChannel,
} from '@jit-access/plugin-access-common';
import type { AccessT } from './i18n';

const CHANNEL_KEYS = {
  portal: 'shared.channel.portal',
  api: 'shared.channel.api',
  action: 'shared.channel.action',
  // Decisions made in chat.
  slack: 'shared.channel.slack',
  teams: 'shared.channel.teams',
} as const satisfies Record<RequestChannel | AccessChatChannelName, string>;

/** The chat systems' names, for "Approved by lee … in Slack". */
export const CHAT_KEYS = {
  slack: 'shared.chat.slack',
  teams: 'shared.chat.teams',
} as const satisfies Record<AccessChatChannelName, string>;

/**
 * Where a request was made (or a decision, in chat), in words; undefined for a value this
 * version does not know.
 */
export function channelLabel(channel: unknown, t: AccessT): string | undefined {
  return typeof channel === 'string' && channel in CHANNEL_KEYS
    ? t(CHANNEL_KEYS[channel as keyof typeof CHANNEL_KEYS])
    : undefined;
}
