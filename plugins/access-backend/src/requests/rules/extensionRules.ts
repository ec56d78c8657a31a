import { InputError } from '@backstage/errors';
import { AccessFlow } from '@jit-access/plugin-access-common';
import { Duration } from 'luxon';
import { parseRequestedDuration } from '../flowRules';
import { ChainLink } from '../../database/requests/requestRows';

export type { ChainLink };

/**
 * The people of a chain, oldest first: whoever asked for any link, and whoever receives it. None
 * of them approves any link (unless the flow allows self-approval).
 */
export function chainPeople(chain: ChainLink[]): string[] {
  return [...new Set(chain.flatMap(l => [l.requesterRef, l.granteeRef]))];
}

/**
 * When the access of a chain began: the original's scheduled start, else when it was first
 * granted, else when it was asked for. The flow's `maxDuration` counts from here for the whole
 * chain, so extensions approved one after another never add up to more.
 */
export function chainStart(original: {
  startsAt?: Date;
  firstGrantedAt?: Date;
  createdAt: Date;
}): Date {
  return original.startsAt ?? original.firstGrantedAt ?? original.createdAt;
}

/** Refuses an end past the flow's `maxDuration` counted from the chain's start. */
export function checkWithinMaxDuration(
  flow: Pick<AccessFlow, 'id' | 'maxDuration'>,
  start: Date,
  newEnd: Date,
  field: 'endAt' | 'duration',
): void {
  const latest = new Date(
    start.getTime() + Duration.fromISO(flow.maxDuration).toMillis(),
  );
  if (newEnd.getTime() > latest.getTime()) {
    throw new InputError(
      `${field}: flow '${flow.id}' allows at most ${
        flow.maxDuration
      } in all; the latest end is ${latest.toISOString()}`,
    );
  }
}

/** The end an extension asks for: a duration added to the current end, or an explicit end. */
export function extendedEnd(
  currentEnd: Date,
  ask: { duration?: string; endAt?: string },
): Date {
  if (ask.duration && ask.endAt) {
    throw new InputError('duration: give either duration or endAt, not both');
  }
  if (ask.endAt) {
    const end = new Date(ask.endAt);
    if (end.getTime() <= currentEnd.getTime()) {
      throw new InputError(
        `endAt: ${
          ask.endAt
        } is not after the current end ${currentEnd.toISOString()}`,
      );
    }
    return end;
  }
  if (!ask.duration) {
    throw new InputError('duration: say how long to extend (or give endAt)');
  }
  const duration = parseRequestedDuration(ask.duration);
  if (!duration) {
    throw new InputError(
      `duration: '${ask.duration}' is not a positive ISO-8601 duration`,
    );
  }
  return new Date(currentEnd.getTime() + duration.toMillis());
}
