import { RequestChannel } from '@jit-access/plugin-access-common';
import express from 'express';

/** The header the portal's client sends so that its requests are recorded as made there. */
export const CHANNEL_HEADER = 'x-access-channel';

/**
 * Where a request through the HTTP API was made: the portal when its client says so, else the
 * API. Only the actions record `action`; a header cannot claim it.
 */
export function channelOf(req: express.Request): RequestChannel {
  return req.get(CHANNEL_HEADER)?.trim().toLocaleLowerCase('en-US') === 'portal'
    ? 'portal'
    : 'api';
}
