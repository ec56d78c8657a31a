import { InputError } from '@backstage/errors';
import { AccessFlow } from '@jit-access/plugin-access-common';
import { Duration } from 'luxon';

/** One request of an extension chain: the original access, or an extension asked of it. */
export interface ChainLink {
  id: string;
  requesterRef: string;
  granteeRef: string;
  /** The request this one extends; absent on the original. */
  extendsRequestId?: string;
}

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
