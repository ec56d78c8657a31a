import { RequestStatus } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { RequestRow } from '../requests/RequestStore';
import { applyTransition } from '../requests/transitions';
import { SYSTEM_ACTOR } from '../audit/auditLog';
import { readOptionalDate } from '../lib/dates';
import { GrantRow, GrantStore } from './GrantStore';

export interface StatusChange {
  requestId: string;
  from: RequestStatus;
  to: RequestStatus;
}

/**
 * Moves a request to the status its grants add up to, once they have settled: `granting` becomes
 * `active` when every grant is done (with some failed: partially fulfilled) or `failed` when none
 * was granted; `revoking` becomes `expired` or `revoked`, or `failed` when a revocation failed;
 * `scheduled` becomes `granting` once work on it has started.
 */
export async function settleRequest(
  tx: Knex.Transaction,
  requestId: string,
  now: Date,
): Promise<StatusChange | undefined> {
  const query = tx<RequestRow>('access_requests').where({ id: requestId });
  if (tx.client.config.client === 'pg') {
    query.forUpdate();
  }
  const request = await query.first();
  if (!request) {
    return undefined;
  }
  const grants = await tx<GrantRow>('access_grants').where({
    request_id: requestId,
  });
  const count = (...states: GrantRow['state'][]) =>
    grants.filter(g => states.includes(g.state)).length;
  const firstError = grants.find(g => g.state === 'failed')?.last_error;

  const move = async (
    to: RequestStatus,
    action: string,
    reason?: string,
    details?: Record<string, unknown>,
  ) => {
    await applyTransition(tx, request, {
      to,
      actorRef: SYSTEM_ACTOR,
      action,
      reason,
      details,
      at: now,
    });
    return { requestId, from: request.status, to };
  };

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
        await new GrantStore(tx).beginRevocation(tx, requestId, 'expired', now);
        const expiring = await move('revoking', 'expire', 'Access ended');
        const settled = await settleRequest(tx, requestId, now);
        return settled ? { ...settled, from: request.status } : expiring;
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
