import { RequestStatus } from '@jit-access/plugin-access-common';
import { RequestRow } from '../requests/RequestStore';
import { applyTransitions, RequestTransition } from '../requests/transitions';
import { SYSTEM_ACTOR } from '../audit/auditLog';
import { GrantQueries } from '../database/grants/GrantQueries';
import { lockRequests } from '../database/grants/grantRequests';
import { GrantRow, Tx } from '../database/grants/grantRow';
import { GrantStore } from '../database/grants/GrantStore';
import { readOptionalDate } from '../lib/dates';
import { StatusChange } from '../events/AccessEvents';

export type { StatusChange };

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
  const found = await lockRequests<RequestRow>(tx, ids);
  const from = new Map<string, RequestStatus>();
  const to = new Map<string, RequestStatus>();
  let round = ids.flatMap(id => found.get(id) ?? []);
  round.forEach(row => from.set(row.id, row.status));

  while (round.length > 0) {
    const grants = await new GrantQueries(tx).ofRequests(
      round.map(row => row.id),
    );
    const moves: RequestTransition[] = [];
    const expiring = new Set<string>();
    for (const request of round) {
      const decision = decide(request, grants.get(request.id) ?? [], now);
      if (!decision) {
        continue;
      }
      const { expire, ...transition } = decision;
      if (expire) {
        expiring.add(request.id);
      }
      moves.push({
        current: request,
        transition: { ...transition, actorRef: SYSTEM_ACTOR, at: now },
      });
    }
    await new GrantStore(tx).beginRevocations(
      tx,
      [...expiring],
      'expired',
      now,
    );
    const moved = await applyTransitions(tx, moves);
    moved.forEach(row => to.set(row.id, row.status));
    // Requests that have just begun ending settle again, with their grants as they are now.
    round = moved.filter(row => expiring.has(row.id));
  }
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
  request: RequestRow,
  grants: GrantRow[],
  now: Date,
): Decision | undefined {
  const count = (...states: GrantRow['state'][]) =>
    grants.filter(g => states.includes(g.state)).length;
  const firstError = grants.find(g => g.state === 'failed')?.last_error;
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
      const end = readOptionalDate(request.ends_at);
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
        g => g.state === 'failed' && g.end_reason,
      );
      if (failedRevocation) {
        return move(
          'failed',
          'revoke-failed',
          `Revoking failed: ${failedRevocation.last_error ?? 'unknown error'}`,
        );
      }
      const expired = grants.some(g => g.end_reason === 'expired');
      // Keep the reason given when the revocation started (who revoked, or that time ran out).
      return expired
        ? move('expired', 'expired', request.status_reason ?? 'Access ended')
        : move('revoked', 'revoked');
    }
    default:
      return undefined;
  }
}
