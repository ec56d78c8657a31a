import { createAccessTestDatabases } from '../../__testUtils__/testDatabases';
import {
  appendAll,
  allRows,
  event,
  initChainDatabase,
  recomputeWithSha256,
  SECRET,
  TABLE,
} from './__testUtils__/chainFixtures';
import {
  AuditAnchor,
  createChainKey,
  readAuditChainHead,
  setAuditChainKey,
  verifyAuditChain,
} from '.';

jest.setTimeout(60_000);

describe('anchored audit chain', () => {
  const databases = createAccessTestDatabases();
  const init = (databaseId: Parameters<typeof databases.init>[0]) =>
    initChainDatabase(databases, databaseId);

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
});
