import { RequestStatus } from '@jit-access/plugin-access-common';
import { RequestState } from '../database/requests/requestRows';
import {
  movedRecord,
  RecordTransition,
  transitionRequests,
} from '../database/requests/transitions';
import { SYSTEM_ACTOR } from '../database/audit';
import { GrantQueries } from '../database/grants/GrantQueries';
import { lockRequestStates } from '../database/grants/grantRequests';
import { Tx } from '../database/grants/grantRow';
import { GrantSettleState } from '../database/grants/grantRecord';
import { GrantStore, REVOCATION_MOVES } from '../database/grants/GrantStore';
import { StatusChange } from '../events/AccessEvents';

export type { StatusChange };

/** Whether beginning a revocation moves the grant (see {@link REVOCATION_MOVES}). */
const isMovedByRevocation = (grant: GrantSettleState) =>
  Object.keys(REVOCATION_MOVES).includes(grant.state);

/**
 * Moves a request to the status its grants add up to, once they have settled: `granting` becomes
 * `active` when every grant is done (with some failed: partially fulfilled) or `failed` when none
 * was granted; `revoking` becomes `expired` or `revoked`, or `failed` when a revocation failed;
 * `scheduled` becomes `granting` once work on it has started. A batch of one of
 * {@link settleRequests}.
 */
export async function settleRequest(
  tx: Tx,
  requestId: string,
  now: Date,
): Promise<StatusChange | undefined> {
  const [change] = await settleRequests(tx, [requestId], now);
  return change;
}

/**
 * Settles many requests in the caller's transaction (see {@link settleRequest}): the requests are
 * read (and on PostgreSQL locked, in id order) and their grants read a few statements per 500
 * requests, and the moves are written together with their audit events appended in one go. A
 * request whose time is up has its revocation begun and moves to `revoking`, and in the same
 * call on to `expired` when nothing is left to revoke. Returns one change per request that
 * moved, from the status it was in to the one it ends in, in the order of `requestIds`.
 */
export async function settleRequests(
  tx: Tx,
  requestIds: readonly string[],
  now: Date,
): Promise<StatusChange[]> {
  const ids = [...new Set(requestIds)];
  const found = await lockRequestStates(tx, ids);
  const from = new Map<string, RequestStatus>();
  const to = new Map<string, RequestStatus>();
  let round = ids.flatMap(id => found.get(id) ?? []);
  round.forEach(row => from.set(row.id, row.status));

  // Rounds are worked out in memory and written at the end in one go: a request whose end has
  // come moves to `revoking` and, when nothing is left to revoke, on to `expired` in the same
  // write, its audit events in order.
  const moves: Array<{ current: RequestState; transition: RecordTransition }> =
    [];
  let known = new Map<string, GrantSettleState[]>();
  while (round.length > 0) {
    const readBefore = known;
    const grants = new Map([
      ...readBefore,
      ...(await new GrantQueries(tx).settleStatesOfRequests(
        round.filter(row => !readBefore.has(row.id)).map(row => row.id),
      )),
    ]);
    const next: RequestState[] = [];
    const expiring: string[] = [];
    for (const request of round) {
      const decision = decide(request, grants.get(request.id) ?? [], now);
      if (!decision) {
        continue;
      }
      const { expire, ...transition } = decision;
      const move = {
        current: request,
        transition: { ...transition, actorRef: SYSTEM_ACTOR, at: now },
      };
      moves.push(move);
      to.set(request.id, transition.to);
      if (expire) {
        expiring.push(request.id);
        next.push(movedRecord(move));
      }
    }
    // Only requests with a grant left to call off or revoke need the revocation's writes (no
    // grant moves back into such a state, so what was read under the request's lock holds).
    await new GrantStore(tx).beginRevocations(
      tx,
      expiring.filter(id => (grants.get(id) ?? []).some(isMovedByRevocation)),
      'expired',
      now,
    );
    // Only requests with a grant that the beginning of the revocation moved have theirs read
    // again; the others settle on with the grants already read.
    known = new Map(
      expiring
        .filter(id => !(grants.get(id) ?? []).some(isMovedByRevocation))
        .map(id => [id, grants.get(id) ?? []]),
    );
    // Requests that have just begun ending settle again, with their grants as they are now.
    round = next;
  }
  await transitionRequests(tx, moves);
  return ids.flatMap(id =>
    to.has(id) ? [{ requestId: id, from: from.get(id)!, to: to.get(id)! }] : [],
  );
}

interface Decision {
  to: RequestStatus;
  action: string;
  reason?: string;
  details?: Record<string, unknown>;
  /** The end has come: the request's revocation begins (before it moves to `revoking`). */
  expire?: boolean;
}

/** Where one request moves, given its grants as they are now; undefined: it stays. */
function decide(
  request: RequestState,
  grants: GrantSettleState[],
  now: Date,
): Decision | undefined {
  const count = (...states: GrantSettleState['state'][]) =>
    grants.filter(g => states.includes(g.state)).length;
  const firstError = grants.find(g => g.state === 'failed')?.lastError;
  const move = (
    to: RequestStatus,
    action: string,
    reason?: string,
    details?: Record<string, unknown>,
  ): Decision => ({ to, action, reason, details });

  switch (request.status) {
    case 'scheduled':
      return count('granting', 'active') > 0
        ? move('granting', 'start')
        : undefined;
    case 'active':
    case 'granting': {
      // The end has come and the claim has taken (or finished) the grants' revocation.
      const end = request.endsAt;
      const live = count('active', 'granting', 'queued', 'pending');
      if (end && end <= now && (count('revoking') > 0 || live === 0)) {
        return { ...move('revoking', 'expire', 'Access ended'), expire: true };
      }
      if (
        request.status === 'active' ||
        count('queued', 'granting', 'pending') > 0
      ) {
        return undefined;
      }
      const failed = count('failed');
      if (count('active') > 0) {
        return move(
          'active',
          'granted',
          failed > 0
            ? `Partially fulfilled: ${failed} of ${grants.length} items failed`
            : undefined,
          failed > 0 ? { partiallyFulfilled: true, failed } : {},
        );
      }
      return move(
        'failed',
        'grant-failed',
        `Granting failed: ${firstError ?? 'no item could be granted'}`,
      );
    }
    case 'revoking': {
      if (count('revoking') > 0) {
        return undefined;
      }
      const failedRevocation = grants.find(
        g => g.state === 'failed' && g.endReason,
      );
      if (failedRevocation) {
        return move(
          'failed',
          'revoke-failed',
          `Revoking failed: ${failedRevocation.lastError ?? 'unknown error'}`,
        );
      }
      const expired = grants.some(g => g.endReason === 'expired');
      // Keep the reason given when the revocation started (who revoked, or that time ran out).
      return expired
        ? move('expired', 'expired', request.statusReason ?? 'Access ended')
        : move('revoked', 'revoked');
    }
    default:
      return undefined;
  }
}
