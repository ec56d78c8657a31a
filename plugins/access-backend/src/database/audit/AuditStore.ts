import { Knex } from 'knex';
import { readDate } from '../../lib/dates';
import { appendAuditEvents, sealUnkeyedChain } from './appendEvents';
import {
  AuditAnchor,
  AuditChainHead,
  AuditEvent,
  AuditEventInput,
  AuditVerification,
} from './auditEvents';
import { AUDIT_TABLE, AuditRow, rowToEvent } from './auditRows';
import { ChainKey, KEYED_SCHEME, readChainScheme } from './chainHash';
import { auditChainKeyFor, setAuditChainKey } from './chainKeys';
import { verifyAuditChain } from './verifyChain';

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
 * leaves a shorter chain that still fits: an exported anchor (audit/auditAnchor.ts) finds it.
 *
 * Code that records a state change holds only its transaction: it appends with
 * {@link appendAuditEvents}, which finds the chain key through the transaction.
 */
export class AuditStore {
  constructor(private readonly db: Knex) {}

  /**
   * Appends `events` in their order (see {@link appendAuditEvents}), inside `tx` or, without
   * one, a transaction of their own.
   */
  async append(
    events: readonly AuditEventInput[],
    tx?: Knex.Transaction,
  ): Promise<AuditEvent[]> {
    if (tx) {
      return appendAuditEvents(tx, events);
    }
    return this.db.transaction(own => appendAuditEvents(own, events));
  }

  /** The events of one request, ordered by seq. */
  async listForRequest(requestId: string): Promise<AuditEvent[]> {
    return listAuditEvents(this.db, requestId);
  }

  /** The newest row of the chain, or undefined when it is empty. */
  async head(): Promise<AuditChainHead | undefined> {
    return readAuditChainHead(this.db);
  }

  /** Sets the key appends and verification use; null writes unkeyed links. */
  setChainKey(key: ChainKey | null): void {
    setAuditChainKey(this.db, key);
  }

  /** The key set with {@link AuditStore.setChainKey}, or null. */
  chainKey(): ChainKey | null {
    return auditChainKeyFor(this.db);
  }

  /** See {@link sealUnkeyedChain}. */
  async sealUnkeyedChain(now?: Date): Promise<AuditEvent | undefined> {
    return sealUnkeyedChain(this.db, now);
  }

  /** See {@link verifyAuditChain}. */
  async verify(options?: {
    batchSize?: number;
    anchor?: AuditAnchor;
    key?: ChainKey | null;
  }): Promise<AuditVerification> {
    return verifyAuditChain(this.db, options);
  }
}

/** The events of one request, ordered by seq. */
export async function listAuditEvents(
  db: Knex,
  requestId: string,
): Promise<AuditEvent[]> {
  const rows: AuditRow[] = await db(AUDIT_TABLE)
    .where({ request_id: requestId })
    .orderBy('seq', 'asc');
  return rows.map(rowToEvent);
}

/** The newest row of the chain (its seq, link and time), or undefined when it is empty. */
export async function readAuditChainHead(
  db: Knex,
): Promise<AuditChainHead | undefined> {
  const head: Pick<AuditRow, 'seq' | 'hash' | 'created_at' | 'chain_scheme'> =
    await db(AUDIT_TABLE)
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
