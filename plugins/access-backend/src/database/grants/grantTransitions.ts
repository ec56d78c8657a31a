import { ConflictError } from '@backstage/errors';
import { GrantState } from '@jit-access/plugin-access-common';

/**
 * The grant state machine: where `access_grants.state` may move from each state. GrantStore is
 * the only writer of the column and checks every move against this table. Staying in a state is
 * not a move (a retry keeps `granting` or `revoking` with a new lease).
 */
const ALLOWED: Record<GrantState, readonly GrantState[]> = {
  // Approval queues the work; rejection, cancellation and revocation call it off.
  pending: ['queued', 'cancelled'],
  // A claim starts the work; a revocation before the claim calls it off.
  queued: ['granting', 'cancelled'],
  // Cancelled: a scheduled request revoked while its start was being claimed (a grant that
  // succeeds after that is revoked again).
  granting: ['active', 'failed', 'revoking', 'cancelled'],
  active: ['revoking'],
  revoking: ['expired', 'revoked', 'failed'],
  // A grant call that succeeded after its access was ended is revoked again.
  expired: ['revoking'],
  revoked: ['revoking'],
  cancelled: ['revoking'],
  failed: [],
};

/** Whether a grant may move from one state to another (a different one). */
export function canMoveGrant(from: GrantState, to: GrantState): boolean {
  return ALLOWED[from].includes(to);
}

/**
 * Throws a ConflictError when a grant may not move from `from` to `to`; staying put is allowed.
 */
export function assertGrantMove(
  grantId: string,
  from: GrantState,
  to: GrantState,
): void {
  if (from !== to && !canMoveGrant(from, to)) {
    throw new ConflictError(
      `Grant ${grantId} cannot move from ${from} to ${to}`,
    );
  }
}
