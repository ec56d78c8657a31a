import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { readDate } from '../../../lib/dates';
import { AccessDatabase } from '../../AccessDatabase';
import { AuditEventInput, appendAuditEvent } from '..';
import { canonicalJson } from '../chainHash';

// What the keyed-chain tests share: events, the documented link payload built independently,
// and what someone who can write the table (but lacks the key) can do to it.

export const TABLE = 'access_audit_events';
export const SECRET = 'a-chain-key-of-at-least-32-characters!';

export function event(n: number): AuditEventInput {
  return {
    requestId: '00000000-0000-4000-8000-000000000001',
    actorRef: 'user:default/dana',
    action: `action-${n}`,
    fromStatus: 'pending_approval',
    toStatus: 'approved',
    details: { reason: `because ${n}` },
    at: new Date(Date.UTC(2026, 10, 22, 10, 0, n, 123)),
  };
}

/** What a link covers, from a stored row: the documented payload, built here independently. */
export function payloadOf(row: any, prevHash: string | null): string {
  return canonicalJson({
    prevHash,
    requestId: row.request_id ?? null,
    actorRef: row.actor_ref,
    action: row.action,
    fromStatus: row.from_status ?? null,
    toStatus: row.to_status ?? null,
    details: row.details === null ? null : JSON.parse(row.details),
    at: readDate(row.created_at).toISOString(),
  });
}

export const sha256 = (text: string) =>
  createHash('sha256').update(text, 'utf8').digest('hex');

export async function allRows(knex: Knex): Promise<any[]> {
  return knex(TABLE).select('*').orderBy('seq');
}

/**
 * What someone who can write the database but lacks the key can do: recompute the links of rows
 * `fromSeq` to `toSeq` (default: the newest) with plain SHA-256, so that each fits the one
 * before it again; `scheme` is what they write into chain_scheme (undefined: leave it).
 */
export async function recomputeWithSha256(
  knex: Knex,
  fromSeq: number,
  scheme?: string | null,
  toSeq: number = Number.MAX_SAFE_INTEGER,
): Promise<void> {
  let prevHash: string | null = null;
  for (const row of await allRows(knex)) {
    if (Number(row.seq) >= fromSeq && Number(row.seq) <= toSeq) {
      const hash = sha256(payloadOf(row, prevHash));
      await knex(TABLE)
        .where({ seq: row.seq })
        .update({
          prev_hash: prevHash,
          hash,
          ...(scheme !== undefined && { chain_scheme: scheme }),
        });
      prevHash = hash;
    } else {
      prevHash = row.hash;
    }
  }
}

/** A migrated database of the given id. */
export async function initChainDatabase(
  databases: TestDatabases,
  databaseId: Parameters<TestDatabases['init']>[0],
): Promise<Knex> {
  const knex = await databases.init(databaseId);
  await AccessDatabase.create({ database: mockServices.database({ knex }) });
  return knex;
}

/** Appends events `from` to `to`, each in a transaction of its own. */
export async function appendAll(knex: Knex, from: number, to: number) {
  const appended = [];
  for (let n = from; n <= to; n++) {
    appended.push(await knex.transaction(tx => appendAuditEvent(tx, event(n))));
  }
  return appended;
}
