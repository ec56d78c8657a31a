import { mockServices } from '@backstage/backend-test-utils';
import { createHash, createHmac } from 'node:crypto';
import { Knex } from 'knex';
import { createAccessTestDatabases } from '../../__testUtils__/testDatabases';
import { AccessDatabase } from '../AccessDatabase';
import { readDate } from '../../lib/dates';
import {
  AuditAnchor,
  AuditEventInput,
  appendAuditEvent,
  CHAIN_KEYED_ACTION,
  readAuditChainHead,
  sealUnkeyedChain,
  createChainKey,
  setAuditChainKey,
  verifyAuditChain,
} from '.';
import { canonicalJson } from './chainHash';

jest.setTimeout(60_000);

const TABLE = 'access_audit_events';
const SECRET = 'a-chain-key-of-at-least-32-characters!';

function event(n: number): AuditEventInput {
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
function payloadOf(row: any, prevHash: string | null): string {
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

const sha256 = (text: string) =>
  createHash('sha256').update(text, 'utf8').digest('hex');

async function allRows(knex: Knex): Promise<any[]> {
  return knex(TABLE).select('*').orderBy('seq');
}

/**
 * What someone who can write the database but lacks the key can do: recompute the links of rows
 * `fromSeq` to `toSeq` (default: the newest) with plain SHA-256, so that each fits the one
 * before it again; `scheme` is what they write into chain_scheme (undefined: leave it).
 */
async function recomputeWithSha256(
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

describe('keyed and anchored audit chain', () => {
  const databases = createAccessTestDatabases();

  async function init(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await AccessDatabase.create({ database: mockServices.database({ knex }) });
    return knex;
  }

  async function appendAll(knex: Knex, from: number, to: number) {
    const appended = [];
    for (let n = from; n <= to; n++) {
      appended.push(
        await knex.transaction(tx => appendAuditEvent(tx, event(n))),
      );
    }
    return appended;
  }

  it.each(databases.eachSupportedId())(
    'keys every link with HMAC-SHA256 and the configured key, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      setAuditChainKey(knex, createChainKey(SECRET));
      const appended = await appendAll(knex, 1, 3);

      const rows = await allRows(knex);
      expect(rows.map(row => row.chain_scheme)).toEqual([
        'hmac-sha256',
        'hmac-sha256',
        'hmac-sha256',
      ]);
      let prevHash: string | null = null;
      for (const row of rows) {
        expect(row.prev_hash).toBe(prevHash);
        expect(row.hash).toBe(
          createHmac('sha256', SECRET)
            .update(payloadOf(row, prevHash), 'utf8')
            .digest('hex'),
        );
        prevHash = row.hash;
      }

      expect(await verifyAuditChain(knex)).toEqual({
        ok: true,
        checked: 3,
        keyed: true,
        head: { seq: appended[2].seq, hash: appended[2].hash },
      });
      expect(
        await verifyAuditChain(knex, {
          key: createChainKey(`${SECRET}, but another`),
        }),
      ).toMatchObject({ ok: false, brokenAt: appended[0].seq, checked: 1 });
      const withoutKey = await verifyAuditChain(knex, { key: null });
      expect(withoutKey).toMatchObject({
        ok: false,
        keyed: false,
        brokenAt: appended[0].seq,
      });
      expect(withoutKey.problem).toMatch(/no audit chain key/);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds a row rewritten and the chain recomputed with plain SHA-256, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      setAuditChainKey(knex, createChainKey(SECRET));
      const appended = await appendAll(knex, 1, 4);
      const target = appended[1].seq;
      await knex(TABLE)
        .where({ seq: target })
        .update({ details: JSON.stringify({ reason: 'rewritten' }) });

      // Every link from the rewritten row on recomputed, scheme left as it was.
      await recomputeWithSha256(knex, target);
      const kept = await verifyAuditChain(knex);
      expect(kept).toMatchObject({ ok: false, keyed: true, brokenAt: target });
      expect(kept.problem).toMatch(/does not match its hash/);

      // The same, marking the recomputed rows unkeyed.
      await recomputeWithSha256(knex, target, 'sha256');
      const marked = await verifyAuditChain(knex);
      expect(marked).toMatchObject({ ok: false, brokenAt: target });
      expect(marked.problem).toMatch(/not keyed but follows keyed rows/);

      // The whole chain recomputed and marked unkeyed, as if written before the key: an
      // unkeyed verification (the chain as it was before it was keyed) cannot tell...
      await recomputeWithSha256(knex, appended[0].seq, null);
      expect(await verifyAuditChain(knex, { key: null })).toMatchObject({
        ok: true,
        checked: 4,
      });
      // ...but with the key configured, an intact chain must end in a keyed row.
      const all = await verifyAuditChain(knex);
      expect(all).toMatchObject({
        ok: false,
        keyed: true,
        checked: 4,
        brokenAt: appended[3].seq,
      });
      expect(all.problem).toMatch(/newest row is not keyed/);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds the newest rows dropped, given an anchor exported before, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      setAuditChainKey(knex, createChainKey(SECRET));
      const appended = await appendAll(knex, 1, 5);
      const anchor: AuditAnchor = {
        seq: appended[4].seq,
        hash: appended[4].hash,
      };
      expect(await readAuditChainHead(knex)).toEqual({
        ...anchor,
        at: event(5).at,
        keyed: true,
      });

      await knex(TABLE).where('seq', '>=', appended[3].seq).delete();

      // The shorter chain is intact in itself...
      expect(await verifyAuditChain(knex)).toMatchObject({
        ok: true,
        checked: 3,
      });
      // ...but no longer reaches the anchor.
      const shortened = await verifyAuditChain(knex, { anchor });
      expect(shortened).toEqual({
        ok: false,
        checked: 3,
        keyed: true,
        brokenAt: anchor.seq,
        problem: `the anchor row ${anchor.seq} is missing: the chain ends at row ${appended[2].seq}`,
      });

      // Rows appended afterwards do not bring it back.
      const [later] = await appendAll(knex, 6, 6);
      expect(later.seq).toBeGreaterThan(anchor.seq);
      const continued = await verifyAuditChain(knex, { anchor });
      expect(continued).toMatchObject({ ok: false, brokenAt: anchor.seq });
      expect(continued.problem).toMatch(/anchor row .* is missing/);

      await knex(TABLE).delete();
      expect(await verifyAuditChain(knex, { anchor })).toMatchObject({
        ok: false,
        checked: 0,
        brokenAt: anchor.seq,
        problem: `the anchor row ${anchor.seq} is missing: the chain is empty`,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'passes an untouched chain with its anchor, also after later appends, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      setAuditChainKey(knex, createChainKey(SECRET));
      const appended = await appendAll(knex, 1, 3);
      const anchor = { seq: appended[2].seq, hash: appended[2].hash };
      expect(await verifyAuditChain(knex, { anchor })).toEqual({
        ok: true,
        checked: 3,
        keyed: true,
        head: anchor,
        anchor,
      });

      const more = await appendAll(knex, 4, 5);
      expect(await verifyAuditChain(knex, { anchor, batchSize: 2 })).toEqual({
        ok: true,
        checked: 5,
        keyed: true,
        head: { seq: more[1].seq, hash: more[1].hash },
        anchor,
      });

      // An anchor naming a row with another hash is not this chain's.
      const wrong = await verifyAuditChain(knex, {
        anchor: { seq: anchor.seq, hash: appended[1].hash },
      });
      expect(wrong).toMatchObject({ ok: false, brokenAt: anchor.seq });
      expect(wrong.problem).toMatch(/no longer has the anchor's hash/);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds a recomputed rewrite of an unkeyed chain with an anchor, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      setAuditChainKey(knex, null);
      const appended = await appendAll(knex, 1, 3);
      expect((await allRows(knex)).map(row => row.chain_scheme)).toEqual([
        'sha256',
        'sha256',
        'sha256',
      ]);
      const anchor = { seq: appended[2].seq, hash: appended[2].hash };

      await knex(TABLE)
        .where({ seq: appended[1].seq })
        .update({ actor_ref: 'user:default/mallory' });
      await recomputeWithSha256(knex, appended[1].seq);

      // Without a key the chain alone cannot show it...
      expect(await verifyAuditChain(knex)).toMatchObject({
        ok: true,
        keyed: false,
      });
      // ...the anchor does.
      const anchored = await verifyAuditChain(knex, { anchor });
      expect(anchored).toMatchObject({
        ok: false,
        keyed: false,
        checked: 3,
        brokenAt: anchor.seq,
      });
      expect(anchored.problem).toMatch(/anchor's hash/);
    },
  );

  it.each(databases.eachSupportedId())(
    'verifies rows from before the key followed by keyed rows; a rewritten old row still fails, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      // Rows as written before the upgrade: plain SHA-256, no scheme recorded.
      setAuditChainKey(knex, null);
      const old = await appendAll(knex, 1, 3);
      await knex(TABLE).update({ chain_scheme: null });
      expect(await verifyAuditChain(knex)).toMatchObject({
        ok: true,
        checked: 3,
        keyed: false,
      });

      // The upgrade: a key, and the startup seal over the unkeyed rows.
      setAuditChainKey(knex, createChainKey(SECRET));
      const sealed = await sealUnkeyedChain(knex, event(4).at);
      expect(sealed).toMatchObject({
        action: CHAIN_KEYED_ACTION,
        actorRef: 'plugin:access',
        prevHash: old[2].hash,
        details: { unkeyedThrough: old[2].seq },
      });
      // Sealed once: another instance starting finds the newest row keyed.
      expect(await sealUnkeyedChain(knex)).toBeUndefined();
      const keyed = await appendAll(knex, 5, 6);
      expect(await verifyAuditChain(knex)).toEqual({
        ok: true,
        checked: 6,
        keyed: true,
        unkeyedRows: 3,
        head: { seq: keyed[1].seq, hash: keyed[1].hash },
      });

      // An old row rewritten and the unkeyed rows recomputed: the keyed row after them no
      // longer fits...
      await knex(TABLE)
        .where({ seq: old[1].seq })
        .update({ action: 'approve' });
      await recomputeWithSha256(knex, old[1].seq, undefined, old[2].seq);
      const rewrittenHead = (await allRows(knex))[2].hash;
      expect(rewrittenHead).not.toBe(old[2].hash);
      const stale = await verifyAuditChain(knex);
      expect(stale).toMatchObject({ ok: false, brokenAt: sealed!.seq });
      expect(stale.problem).toMatch(/prev_hash/);

      // ...and pointing it at the new link breaks its keyed hash.
      await knex(TABLE)
        .where({ seq: sealed!.seq })
        .update({ prev_hash: rewrittenHead });
      const relinked = await verifyAuditChain(knex);
      expect(relinked).toMatchObject({ ok: false, brokenAt: sealed!.seq });
      expect(relinked.problem).toMatch(/does not match its hash/);
    },
  );

  it.each(databases.eachSupportedId())(
    'seals nothing without a key, on an empty chain or a keyed head, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      setAuditChainKey(knex, null);
      await appendAll(knex, 1, 1);
      expect(await sealUnkeyedChain(knex)).toBeUndefined();

      await knex(TABLE).delete();
      setAuditChainKey(knex, createChainKey(SECRET));
      expect(await sealUnkeyedChain(knex)).toBeUndefined();
      await appendAll(knex, 2, 2);
      expect(await sealUnkeyedChain(knex)).toBeUndefined();
      expect(await allRows(knex)).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'appends a keyed row with the same statements as an unkeyed one, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      const statements = async () => {
        const seen: string[] = [];
        const onQuery = (query: { sql: string }) => seen.push(query.sql);
        knex.on('query', onQuery);
        try {
          await appendAll(knex, 1, 1);
        } finally {
          knex.off('query', onQuery);
        }
        return seen.filter(sql => !/^(begin|commit|BEGIN|COMMIT)/.test(sql));
      };
      setAuditChainKey(knex, null);
      const unkeyed = await statements();
      setAuditChainKey(knex, createChainKey(SECRET));
      const keyed = await statements();
      expect(keyed).toEqual(unkeyed);
      // The head and the insert (and the advisory lock on PostgreSQL).
      expect(keyed).toHaveLength(databaseId.startsWith('POSTGRES') ? 3 : 2);
    },
  );
});
