import { ConflictError } from '@backstage/errors';
import { RequestStatus } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { appendAuditEvent } from '../audit/auditLog';
import { RequestRow } from './RequestStore';

/**
 * The request status machine. This module is the only writer of `access_requests.status`: every
 * change is a compare-and-set on `version`, with its audit event in the same transaction.
 */
const ALLOWED: Record<RequestStatus, readonly RequestStatus[]> = {
  // pending_approval -> pending_approval moves to the next approval stage.
  pending_approval: [
    'pending_approval',
    'scheduled',
    'granting',
    'rejected',
    'cancelled',
    'failed',
  ],
  scheduled: ['granting', 'cancelled', 'revoked'],
  granting: ['active', 'failed', 'revoking'],
  // active -> active is an extension.
  active: ['active', 'revoking'],
  revoking: ['expired', 'revoked', 'failed'],
  expired: [],
  revoked: [],
  rejected: [],
  cancelled: [],
  failed: [],
};

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return ALLOWED[from].includes(to);
}

export interface Transition {
  to: RequestStatus;
  actorRef: string;
  /** What happened, for the audit log: approve, reject, cancel, advance-stage, ... */
  action: string;
  reason?: string;
  details?: Record<string, unknown>;
  /** Other columns that change with the status. */
  patch?: Partial<Omit<RequestRow, 'id' | 'status' | 'version'>>;
  at: Date;
}

/**
 * Moves a request from the state it was read in to `transition.to`. Throws a ConflictError naming
 * the current status when the move is not allowed, or when the request changed since it was read.
 */
export async function applyTransition(
  tx: Knex.Transaction,
  current: RequestRow,
  transition: Transition,
): Promise<RequestRow> {
  const { to, actorRef, action, reason, details, patch, at } = transition;
  if (!canTransition(current.status, to)) {
    throw new ConflictError(
      `Cannot ${action} a request that is ${current.status}`,
    );
  }
  const next = {
    ...patch,
    status: to,
    ...(reason !== undefined ? { status_reason: reason } : {}),
    version: current.version + 1,
    updated_at: at,
  };
  const updated = await tx('access_requests')
    .where({ id: current.id, version: current.version })
    .update(next);
  if (updated !== 1) {
    const now = await tx<RequestRow>('access_requests')
      .where({ id: current.id })
      .first();
    throw new ConflictError(
      `The request changed meanwhile; it is now ${now?.status ?? 'gone'}`,
    );
  }
  await appendAuditEvent(tx, {
    requestId: current.id,
    actorRef,
    action,
    fromStatus: current.status,
    toStatus: to,
    details: { ...details, ...(reason ? { reason } : {}) },
    at,
  });
  return { ...current, ...next } as RequestRow;
}
