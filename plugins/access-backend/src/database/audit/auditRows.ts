import { readDate } from '../../lib/dates';
import { ChainScheme } from './chainHash';
import { AuditEvent, AuditEventInput } from './auditEvents';

/** The append-only, hash-chained audit log. */
export const AUDIT_TABLE = 'access_audit_events';

/** A row of {@link AUDIT_TABLE}. */
export interface AuditRow {
  seq: number | string;
  request_id: string | null;
  actor_ref: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  details: string | null;
  created_at: Date | string | number;
  prev_hash: string | null;
  hash: string;
  chain_scheme?: string | null;
}

/** What a details object becomes after a round trip through its JSON column. */
function normaliseDetails(
  details: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (details === undefined || details === null) {
    return undefined;
  }
  return JSON.parse(JSON.stringify(details));
}

/**
 * The event as it will read back from its row, so that its link is computed over exactly what
 * verification will see.
 */
export function normaliseEvent(event: AuditEventInput): AuditEventInput {
  if (!(event.at instanceof Date)) {
    throw new TypeError('Audit event time must be a Date');
  }
  const normalised: AuditEventInput = {
    actorRef: event.actorRef,
    action: event.action,
    at: readDate(event.at),
  };
  if (event.requestId !== undefined && event.requestId !== null) {
    normalised.requestId = event.requestId;
  }
  if (event.fromStatus !== undefined && event.fromStatus !== null) {
    normalised.fromStatus = event.fromStatus;
  }
  if (event.toStatus !== undefined && event.toStatus !== null) {
    normalised.toStatus = event.toStatus;
  }
  const details = normaliseDetails(event.details);
  if (details !== undefined) {
    normalised.details = details;
  }
  return normalised;
}

/** The row of a (normalised) event with its links; the table numbers it (`seq`). */
export function eventToRow(
  event: AuditEventInput,
  prevHash: string | null,
  hash: string,
  scheme: ChainScheme,
): Omit<AuditRow, 'seq'> {
  return {
    request_id: event.requestId ?? null,
    actor_ref: event.actorRef,
    action: event.action,
    from_status: event.fromStatus ?? null,
    to_status: event.toStatus ?? null,
    details: event.details === undefined ? null : JSON.stringify(event.details),
    created_at: event.at,
    prev_hash: prevHash,
    hash,
    chain_scheme: scheme,
  };
}

export function rowToEvent(row: AuditRow): AuditEvent {
  const event: AuditEvent = {
    seq: Number(row.seq),
    actorRef: row.actor_ref,
    action: row.action,
    at: readDate(row.created_at),
    prevHash: row.prev_hash ?? null,
    hash: row.hash,
  };
  if (row.request_id !== null && row.request_id !== undefined) {
    event.requestId = row.request_id;
  }
  if (row.from_status !== null && row.from_status !== undefined) {
    event.fromStatus = row.from_status;
  }
  if (row.to_status !== null && row.to_status !== undefined) {
    event.toStatus = row.to_status;
  }
  if (row.details !== null && row.details !== undefined) {
    event.details = JSON.parse(row.details);
  }
  return event;
}
