import type {
  AuditAnchor,
  AuditVerification,
} from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { readDate } from '../lib/dates';
import {
  auditChainKeyFor,
  ChainKey,
  computeLink,
  KEYED_SCHEME,
  readChainScheme,
  UNKEYED_SCHEME,
} from './chainHash';

/**
 * The append-only, hash-chained audit log of the access plugin (table `access_audit_events`).
 *
 * Every row carries the link of the row before it (`prev_hash`, null for the first row) and its
 * own link (`hash`): HMAC-SHA256, keyed with `access.audit.chainKey`, over a canonical JSON
 * serialisation of its content and `prev_hash` (see ./chainHash.ts). Changing, inserting or
 * deleting a row afterwards breaks the chain, which {@link verifyAuditChain} finds; without the
 * key nobody can compute links that fit again.
 *
 * Rows say how their link was made (`chain_scheme`). Rows written before the chain was keyed, or
 * where no key is configured (development), are plain SHA-256. Once a keyed row has been
 * written, the rows before it cannot change without breaking it, and verification refuses an
 * unkeyed row after a keyed one and, with a key configured, a chain whose newest row is unkeyed
 * ({@link sealUnkeyedChain} appends a keyed row at startup for that). Dropping the newest rows
 * leaves a shorter chain that still fits: an anchor exported earlier (./auditAnchor.ts) finds it.
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

// A row's place in the chain (as the anchor job exports it) and the outcome of
// verifyAuditChain are part of the wire contract: GET /admin/audit/verify answers the latter.
export type { AuditAnchor, AuditVerification };

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

/** Serialises appends on PostgreSQL until the transaction ends (see {@link appendAuditEvent}). */
async function lockChain(tx: Knex.Transaction): Promise<void> {
  if (isPostgres(tx)) {
    await tx.raw('select pg_advisory_xact_lock(?::bigint)', [
      AUDIT_CHAIN_LOCK_KEY,
    ]);
  }
}

/** The actor the audit log names for what the plugin does by itself. */
export const SYSTEM_ACTOR = 'plugin:access';

/**
 * Appends inside the caller's transaction (the same transaction as the state change it records):
 * {@link appendAuditEvents} with one event.
 */
export async function appendAuditEvent(
  tx: Knex.Transaction,
  event: AuditEventInput,
): Promise<AuditEvent> {
  const [appended] = await appendAuditEvents(tx, [event]);
  return appended;
}

/** Rows per INSERT: PostgreSQL takes 65,535 parameters a statement, older SQLite 999. */
const INSERT_CHUNK_POSTGRES = 1000;
const INSERT_CHUNK_SQLITE = 80;

function normaliseEvent(event: AuditEventInput): AuditEventInput {
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

/**
 * Appends `events` in their order, inside the caller's transaction: the head of the chain is read
 * once, each link is computed from the one before it in memory, and the rows go in with as few
 * INSERTs as the database's parameter limit allows. The chain's order is the order of `events`;
 * the rows' seqs are checked to follow it (the transaction fails otherwise).
 *
 * On PostgreSQL this takes a transaction-scoped advisory lock before reading the head of the
 * chain, so concurrent appends queue up behind each other until the holder commits or rolls back.
 * The head is read by a statement issued after the lock is granted, which sees the previous
 * holder's rows under READ COMMITTED (the default); callers must not run this in a REPEATABLE
 * READ or SERIALIZABLE transaction whose snapshot is already taken. On SQLite, transactions
 * already serialise writers.
 */
export async function appendAuditEvents(
  tx: Knex.Transaction,
  events: readonly AuditEventInput[],
): Promise<AuditEvent[]> {
  if (events.length === 0) {
    return [];
  }
  const normalised = events.map(normaliseEvent);

  await lockChain(tx);

  const head: Pick<AuditRow, 'seq' | 'hash'> | undefined = await tx(TABLE)
    .select('seq', 'hash')
    .orderBy('seq', 'desc')
    .first();
  const key = auditChainKeyFor(tx);
  const scheme = key ? KEYED_SCHEME : UNKEYED_SCHEME;
  let prevHash = head?.hash ?? null;
  const linked = normalised.map(event => {
    const hash = computeLink(scheme, key, prevHash, event);
    const link = { event, prevHash, hash };
    prevHash = hash;
    return link;
  });

  const appended: AuditEvent[] = [];
  let lastSeq = head ? Number(head.seq) : 0;
  const chunkSize = isPostgres(tx)
    ? INSERT_CHUNK_POSTGRES
    : INSERT_CHUNK_SQLITE;
  for (let i = 0; i < linked.length; i += chunkSize) {
    const chunk = linked.slice(i, i + chunkSize);
    const inserted: Array<Pick<AuditRow, 'seq' | 'hash'>> = await tx(
      TABLE,
    ).insert(
      chunk.map(({ event, prevHash: prev, hash }) => ({
        request_id: event.requestId ?? null,
        actor_ref: event.actorRef,
        action: event.action,
        from_status: event.fromStatus ?? null,
        to_status: event.toStatus ?? null,
        details:
          event.details === undefined ? null : JSON.stringify(event.details),
        created_at: event.at,
        prev_hash: prev,
        hash,
        chain_scheme: scheme,
      })),
      ['seq', 'hash'],
    );
    // The chain is walked in seq order: the rows must have been numbered in the order given,
    // after every row before them.
    const bySeq = inserted
      .map(row => ({ seq: Number(row.seq), hash: row.hash }))
      .sort((a, b) => a.seq - b.seq);
    if (
      bySeq.length !== chunk.length ||
      bySeq.some((row, n) => row.hash !== chunk[n].hash) ||
      !(bySeq[0].seq > lastSeq)
    ) {
      throw new Error(
        'Audit events were not numbered in the order they were appended',
      );
    }
    chunk.forEach(({ event, prevHash: prev, hash }, n) => {
      appended.push({ ...event, seq: bySeq[n].seq, prevHash: prev, hash });
    });
    lastSeq = bySeq[bySeq.length - 1].seq;
  }
  return appended;
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

/** The action of the row {@link sealUnkeyedChain} appends. */
export const CHAIN_KEYED_ACTION = 'audit-chain-keyed';

/**
 * With a chain key set for `db`, appends a keyed row when the newest row is unkeyed (rows from
 * before the key was configured), so that they are covered by a keyed link from then on and an
 * intact chain always ends in a keyed row. Called at startup; does nothing without a key, on an
 * empty chain, or when the newest row is already keyed (another instance sealed it).
 */
export async function sealUnkeyedChain(
  db: Knex,
  now: Date = new Date(),
): Promise<AuditEvent | undefined> {
  if (!auditChainKeyFor(db)) {
    return undefined;
  }
  return db.transaction(async tx => {
    await lockChain(tx);
    const head: Pick<AuditRow, 'seq' | 'chain_scheme'> | undefined = await tx(
      TABLE,
    )
      .select('seq', 'chain_scheme')
      .orderBy('seq', 'desc')
      .first();
    if (!head || readChainScheme(head.chain_scheme) === KEYED_SCHEME) {
      return undefined;
    }
    return appendAuditEvent(tx, {
      actorRef: SYSTEM_ACTOR,
      action: CHAIN_KEYED_ACTION,
      details: { unkeyedThrough: Number(head.seq) },
      at: now,
    });
  });
}

/** The newest row of the chain (its seq, link and time), or undefined when it is empty. */
export async function readAuditChainHead(
  db: Knex,
): Promise<(AuditAnchor & { at: Date; keyed: boolean }) | undefined> {
  const head: Pick<AuditRow, 'seq' | 'hash' | 'created_at' | 'chain_scheme'> =
    await db(TABLE)
      .select('seq', 'hash', 'created_at', 'chain_scheme')
      .orderBy('seq', 'desc')
      .first();
  if (!head) {
    return undefined;
  }
  return {
    seq: Number(head.seq),
    hash: head.hash,
    at: readDate(head.created_at),
    keyed: readChainScheme(head.chain_scheme) === KEYED_SCHEME,
  };
}

/**
 * Walks the whole chain in seq order (in batches, keyset on seq, never loading all rows at once),
 * stopping at the first row that does not fit: its prev_hash is not the previous row's hash
 * (null for the first row), its content no longer gives its stored link, it is keyed while no
 * key is configured, or it is unkeyed after a keyed row. With a key configured, an intact chain
 * must end in a keyed row (so the keyed rows cannot all have been dropped or rewritten unkeyed).
 *
 * With an `anchor` (a head exported earlier), the row `anchor.seq` must still be there with
 * `anchor.hash`; with the walk this proves that nothing up to the anchor was rewritten or
 * dropped, which a shortened but intact chain would not show.
 *
 * `key` overrides the key set for `db` with {@link setAuditChainKey} (null: verify unkeyed).
 */
export async function verifyAuditChain(
  db: Knex,
  options?: { batchSize?: number; anchor?: AuditAnchor; key?: ChainKey | null },
): Promise<AuditVerification> {
  const batchSize = options?.batchSize ?? DEFAULT_VERIFY_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError('batchSize must be a positive integer');
  }
  const key = options?.key === undefined ? auditChainKeyFor(db) : options.key;
  const keyed = key !== null;
  const anchor = options?.anchor;

  let checked = 0;
  let unkeyedRows = 0;
  let seenKeyed = false;
  let anchorFound = false;
  let previousHash: string | null = null;
  let lastSeq: number | undefined;

  const broken = (brokenAt: number, problem: string): AuditVerification => ({
    ok: false,
    checked,
    keyed,
    brokenAt,
    problem,
  });

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
      if (anchor && !anchorFound && seq > anchor.seq) {
        return broken(
          anchor.seq,
          `the anchor row ${anchor.seq} is missing (the chain goes on at row ${seq})`,
        );
      }
      const rowPrevHash = row.prev_hash ?? null;
      if (rowPrevHash !== previousHash) {
        return broken(
          seq,
          previousHash === null
            ? 'first row has a prev_hash'
            : "prev_hash does not match the previous row's hash",
        );
      }
      const scheme = readChainScheme(row.chain_scheme);
      if (scheme === undefined) {
        return broken(seq, 'unknown chain_scheme');
      }
      if (scheme === KEYED_SCHEME) {
        if (!key) {
          return broken(
            seq,
            'row is keyed but no audit chain key (access.audit.chainKey) is configured',
          );
        }
        seenKeyed = true;
      } else if (seenKeyed) {
        return broken(seq, 'row is not keyed but follows keyed rows');
      } else {
        unkeyedRows += 1;
      }
      let event: AuditEvent;
      try {
        event = rowToEvent(row);
      } catch (error) {
        return broken(seq, `row cannot be read: ${(error as Error).message}`);
      }
      if (computeLink(scheme, key, rowPrevHash, event) !== row.hash) {
        return broken(seq, 'content does not match its hash');
      }
      if (anchor && seq === anchor.seq) {
        if (row.hash !== anchor.hash) {
          return broken(
            seq,
            `row ${seq} no longer has the anchor's hash: the chain was rewritten up to it`,
          );
        }
        anchorFound = true;
      }
      previousHash = row.hash;
      lastSeq = seq;
    }

    if (rows.length < batchSize) {
      break;
    }
  }

  if (anchor && !anchorFound) {
    return broken(
      anchor.seq,
      lastSeq === undefined
        ? `the anchor row ${anchor.seq} is missing: the chain is empty`
        : `the anchor row ${anchor.seq} is missing: the chain ends at row ${lastSeq}`,
    );
  }
  if (keyed && lastSeq !== undefined && !seenKeyed) {
    return broken(
      lastSeq,
      'the newest row is not keyed although a chain key is configured: keyed rows after it were removed or rewritten',
    );
  }
  return {
    ok: true,
    checked,
    keyed,
    ...(keyed && unkeyedRows > 0 && { unkeyedRows }),
    ...(lastSeq !== undefined && {
      head: { seq: lastSeq, hash: previousHash! },
    }),
    ...(anchor && { anchor: { seq: anchor.seq, hash: anchor.hash } }),
  };
}
