import { createHmac } from 'node:crypto';
import { createAccessTestDatabases } from '../../__testUtils__/testDatabases';
import {
  appendAll,
  allRows,
  event,
  initChainDatabase,
  payloadOf,
  recomputeWithSha256,
  SECRET,
  TABLE,
} from './__testUtils__/chainFixtures';
import {
  CHAIN_KEYED_ACTION,
  createChainKey,
  sealUnkeyedChain,
  setAuditChainKey,
  verifyAuditChain,
} from '.';

jest.setTimeout(60_000);

describe('keyed audit chain', () => {
  const databases = createAccessTestDatabases();
  const init = (databaseId: Parameters<typeof databases.init>[0]) =>
    initChainDatabase(databases, databaseId);

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
