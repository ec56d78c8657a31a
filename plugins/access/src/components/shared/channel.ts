import { RequestChannel } from '@jit-access/plugin-access-common';
import type { AccessT } from './i18n';

const CHANNEL_KEYS = {
  portal: 'shared.channel.portal',
  api: 'shared.channel.api',
  action: 'shared.channel.action',
} as const satisfies Record<RequestChannel, string>;

/** Where a request was made, in words; undefined for a value this version does not know. */
export function channelLabel(channel: unknown, t: AccessT): string | undefined {
  return typeof channel === 'string' && channel in CHANNEL_KEYS
    ? t(CHANNEL_KEYS[channel as RequestChannel])
    : undefined;
}
