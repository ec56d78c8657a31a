import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { readDate } from '../lib/dates';

/**
 * The append-only, hash-chained audit log of the access plugin (table `access_audit_events`).
 *
 * Every row carries the hash of the row before it (`prev_hash`, null for the first row) and its
 * own `hash`: SHA-256 over a canonical JSON serialisation of its content and `prev_hash`. Changing,
 * inserting or deleting a row afterwards breaks the chain, which {@link verifyAuditChain} finds.
 */

const TABLE = 'access_audit_events';

/**
 * The key of the PostgreSQL advisory lock that serialises appends, so that concurrent
 * transactions still form one chain. A fixed, arbitrary bigint; it must never change.
 */
const AUDIT_CHAIN_LOCK_KEY = '7416048250193846113';

const DEFAULT_VERIFY_BATCH_SIZE = 500;

/** One event to record. */
export interface AuditEventInput {
  requestId?: string;
  actorRef: string;
  action: string;
  fromStatus?: string;
  toStatus?: string;
  /** Reason and other context; stored as JSON, so only JSON values survive. */
  details?: Record<string, unknown>;
  at: Date;
}

/** One recorded event, with its place in the chain. */
export interface AuditEvent extends AuditEventInput {
  seq: number;
  prevHash: string | null;
  hash: string;
}

/** The outcome of {@link verifyAuditChain}. */
export interface AuditVerification {
  ok: boolean;
  /** Rows examined, including the broken one when there is one. */
  checked: number;
  /** The seq of the first row that does not fit the chain. */
  brokenAt?: number;
  problem?: string;
}

interface AuditRow {
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
}

type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** JSON with object keys sorted at every level, so equal content always serialises equally. */
function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  const keys = Object.keys(value).sort();
  return `{${keys
    .map(key => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
    .join(',')}}`;
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

function computeHash(prevHash: string | null, event: AuditEventInput): string {
  const payload: JsonValue = {
    prevHash,
    requestId: event.requestId ?? null,
    actorRef: event.actorRef,
    action: event.action,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    details: (event.details ?? null) as JsonValue,
    at: event.at.toISOString(),
  };
  return createHash('sha256')
    .update(canonicalJson(payload), 'utf8')
    .digest('hex');
}

function rowToEvent(row: AuditRow): AuditEvent {
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

function isPostgres(db: Knex): boolean {
  const client = (db as any).client;
  const name = client?.config?.client;
  if (typeof name === 'string') {
    return ['pg', 'postgres', 'postgresql', 'pgnative'].includes(name);
  }
  return client?.dialect === 'postgresql';
}

/** The actor the audit log names for what the plugin does by itself. */
export const SYSTEM_ACTOR = 'plugin:access';

/**
 * Appends inside the caller's transaction (the same transaction as the state change it records).
 *
 * On PostgreSQL this takes a transaction-scoped advisory lock before reading the head of the
 * chain, so concurrent appends queue up behind each other until the holder commits or rolls back.
 * The head is read by a statement issued after the lock is granted, which sees the previous
 * holder's row under READ COMMITTED (the default); callers must not run this in a REPEATABLE READ
 * or SERIALIZABLE transaction whose snapshot is already taken. On SQLite, transactions already
 * serialise writers.
 */
export async function appendAuditEvent(
  tx: Knex.Transaction,
  event: AuditEventInput,
): Promise<AuditEvent> {
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

  if (isPostgres(tx)) {
    await tx.raw('select pg_advisory_xact_lock(?::bigint)', [
      AUDIT_CHAIN_LOCK_KEY,
    ]);
  }

  const head: Pick<AuditRow, 'hash'> | undefined = await tx(TABLE)
    .select('hash')
    .orderBy('seq', 'desc')
    .first();
  const prevHash = head?.hash ?? null;
  const hash = computeHash(prevHash, normalised);

  const [inserted] = await tx(TABLE).insert(
    {
      request_id: normalised.requestId ?? null,
      actor_ref: normalised.actorRef,
      action: normalised.action,
      from_status: normalised.fromStatus ?? null,
      to_status: normalised.toStatus ?? null,
      details: details === undefined ? null : JSON.stringify(details),
      created_at: normalised.at,
      prev_hash: prevHash,
      hash,
    },
    ['seq'],
  );
  const seq = Number(
    typeof inserted === 'object' && inserted !== null
      ? (inserted as { seq: number | string }).seq
      : inserted,
  );

  return { ...normalised, seq, prevHash, hash };
}

/** The events of one request, ordered by seq. */
export async function listAuditEvents(
  db: Knex,
  requestId: string,
): Promise<AuditEvent[]> {
  const rows: AuditRow[] = await db(TABLE)
    .where({ request_id: requestId })
    .orderBy('seq', 'asc');
  return rows.map(rowToEvent);
}

/**
 * Walks the whole chain in seq order (in batches, keyset on seq, never loading all rows at once),
 * stopping at the first row whose prev_hash is not the previous row's hash (null for the first
 * row) or whose content no longer hashes to its stored hash.
 */
export async function verifyAuditChain(
  db: Knex,
  options?: { batchSize?: number },
): Promise<AuditVerification> {
  const batchSize = options?.batchSize ?? DEFAULT_VERIFY_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError('batchSize must be a positive integer');
  }

  let checked = 0;
  let previousHash: string | null = null;
  let lastSeq: number | undefined;

  for (;;) {
    const query = db<AuditRow>(TABLE)
      .select('*')
      .orderBy('seq', 'asc')
      .limit(batchSize);
    if (lastSeq !== undefined) {
      query.where('seq', '>', lastSeq);
    }
    const rows: AuditRow[] = await query;

    for (const row of rows) {
      const seq = Number(row.seq);
      checked += 1;
      const rowPrevHash = row.prev_hash ?? null;
      if (rowPrevHash !== previousHash) {
        return {
          ok: false,
          checked,
          brokenAt: seq,
          problem:
            previousHash === null
              ? 'first row has a prev_hash'
              : "prev_hash does not match the previous row's hash",
        };
      }
      let event: AuditEvent;
      try {
        event = rowToEvent(row);
      } catch (error) {
        return {
          ok: false,
          checked,
          brokenAt: seq,
          problem: `row cannot be read: ${(error as Error).message}`,
        };
      }
      if (computeHash(rowPrevHash, event) !== row.hash) {
        return {
          ok: false,
          checked,
          brokenAt: seq,
          problem: 'content does not match its hash',
        };
      }
      previousHash = row.hash;
      lastSeq = seq;
    }

    if (rows.length < batchSize) {
      return { ok: true, checked };
    }
  }
}
