import { Knex } from 'knex';
import { isPostgres } from '../rowLock';
import {
  AuditEvent,
  AuditEventInput,
  CHAIN_KEYED_ACTION,
  SYSTEM_ACTOR,
} from './auditEvents';
import { AUDIT_TABLE, AuditRow, eventToRow, normaliseEvent } from './auditRows';
import {
  computeLink,
  KEYED_SCHEME,
  readChainScheme,
  UNKEYED_SCHEME,
} from './chainHash';
import { auditChainKeyFor } from './chainKeys';

/**
 * The key of the PostgreSQL advisory lock that serialises appends, so that concurrent
 * transactions still form one chain. A fixed, arbitrary bigint; it must never change.
 */
const AUDIT_CHAIN_LOCK_KEY = '7416048250193846113';

/** Rows per INSERT: a bounded JSON parameter on PostgreSQL; older SQLite takes 999 parameters. */
const INSERT_CHUNK_POSTGRES = 1000;
const INSERT_CHUNK_SQLITE = 80;

/** Serialises appends on PostgreSQL until the transaction ends (see {@link appendAuditEvents}). */
async function lockChain(tx: Knex.Transaction): Promise<void> {
  if (isPostgres(tx)) {
    await tx.raw('select pg_advisory_xact_lock(?::bigint)', [
      AUDIT_CHAIN_LOCK_KEY,
    ]);
  }
}

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

  const head: Pick<AuditRow, 'seq' | 'hash'> | undefined = await tx(AUDIT_TABLE)
    .select('seq', 'hash')
    .orderBy('seq', 'desc')
    .first();
  const key = auditChainKeyFor(tx);
  const scheme = key ? KEYED_SCHEME : UNKEYED_SCHEME;
  let prevHash = head?.hash ?? null;
  const link = (event: AuditEventInput) => {
    const hash = computeLink(scheme, key, prevHash, event);
    const linked = { event, prevHash, hash };
    prevHash = hash;
    return linked;
  };

  const appended: AuditEvent[] = [];
  let lastSeq = head ? Number(head.seq) : 0;
  const chunkSize = isPostgres(tx)
    ? INSERT_CHUNK_POSTGRES
    : INSERT_CHUNK_SQLITE;
  const insertChunk = async (chunk: ReturnType<typeof link>[]) => {
    const inserted = await insertLinks(
      tx,
      chunk.map(({ event, prevHash: prev, hash }) =>
        eventToRow(event, prev, hash, scheme),
      ),
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
  };
  // Each chunk's links are computed while the database inserts the chunk before it; chunks go
  // in one after another, in order.
  let inserting: Promise<void> | undefined;
  try {
    for (let i = 0; i < normalised.length; i += chunkSize) {
      const chunk = normalised.slice(i, i + chunkSize).map(link);
      await inserting;
      inserting = insertChunk(chunk);
    }
    await inserting;
  } catch (error) {
    await inserting?.catch(() => undefined); // nothing is left running
    throw error;
  }
  return appended;
}

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
      AUDIT_TABLE,
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

/**
 * Inserts chain links in their order and returns their seqs and hashes. On PostgreSQL the rows
 * travel as one JSON parameter, read into the table's own row type and inserted in their order
 * (a many-row INSERT with a parameter per value costs more to build and bind than to write); on
 * SQLite as a plain INSERT.
 */
async function insertLinks(
  tx: Knex.Transaction,
  rows: ReturnType<typeof eventToRow>[],
): Promise<Array<Pick<AuditRow, 'seq' | 'hash'>>> {
  if (!isPostgres(tx)) {
    return tx(AUDIT_TABLE).insert(rows, ['seq', 'hash']);
  }
  const columns = Object.keys(rows[0]);
  const result = await tx.raw(
    `INSERT INTO ?? (${columns.map(() => '??').join(', ')})
     SELECT ${columns.map(() => 'v.??').join(', ')}
     FROM json_populate_recordset(null::??, ?::json) WITH ORDINALITY AS v
     ORDER BY v.ordinality
     RETURNING seq, hash`,
    [AUDIT_TABLE, ...columns, ...columns, AUDIT_TABLE, JSON.stringify(rows)],
  );
  return result.rows;
}
