import { RequestChannel } from '@jit-access/plugin-access-common';

const CHANNEL_LABELS: Record<RequestChannel, string> = {
  portal: 'Requested in the portal',
  api: 'Requested through the API',
  action: 'Requested through an assistant',
};

/** Where a request was made, in words; undefined for a value this version does not know. */
export function channelLabel(channel: unknown): string | undefined {
  return typeof channel === 'string' && channel in CHANNEL_LABELS
    ? CHANNEL_LABELS[channel as RequestChannel]
    : undefined;
}
