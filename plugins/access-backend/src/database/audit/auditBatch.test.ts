import { mockServices } from '@backstage/backend-test-utils';
import { createAccessTestDatabases } from '../../__testUtils__/testDatabases';
import { AccessDatabase } from '../AccessDatabase';
import {
  AuditEventInput,
  appendAuditEvent,
  appendAuditEvents,
  listAuditEvents,
  createChainKey,
  setAuditChainKey,
  verifyAuditChain,
} from '.';

jest.setTimeout(120_000);

const KEY = 'a chain key for the batch tests, long enough';

function event(n: number, overrides?: Partial<AuditEventInput>) {
  return {
    requestId: `00000000-0000-4000-8000-${String(n % 7).padStart(12, '0')}`,
    actorRef: 'plugin:access',
    action: `action-${n}`,
    fromStatus: 'revoking',
    toStatus: 'expired',
    details: { reason: `because ${n}`, n },
    at: new Date(Date.UTC(2026, 10, 22, 10, 0, 0, n % 1000)),
    ...overrides,
  };
}

describe('appendAuditEvents', () => {
  const databases = createAccessTestDatabases();

  async function init(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await AccessDatabase.create({ database: mockServices.database({ knex }) });
    setAuditChainKey(knex, createChainKey(KEY));
    return knex;
  }

  it.each(databases.eachSupportedId())(
    'appends a batch of many in order, between single appends, and the keyed chain verifies, on %p',
    async databaseId => {
      const knex = await init(databaseId);

      const first = await knex.transaction(tx =>
        appendAuditEvent(tx, event(0)),
      );
      // More rows than one INSERT takes on either database.
      const batch = Array.from({ length: 1234 }, (_, i) => event(i + 1));
      const appended = await knex.transaction(tx =>
        appendAuditEvents(tx, batch),
      );
      const single = await knex.transaction(tx =>
        appendAuditEvent(tx, event(2000, { details: undefined })),
      );
      const second = await knex.transaction(tx =>
        appendAuditEvents(tx, [event(3000), event(3001)]),
      );
      expect(await knex.transaction(tx => appendAuditEvents(tx, []))).toEqual(
        [],
      );

      expect(appended).toHaveLength(1234);
      expect(appended[0].prevHash).toBe(first.hash);
      expect(appended.map(row => row.action)).toEqual(batch.map(e => e.action));
      expect(appended.slice(1).map(row => row.prevHash)).toEqual(
        appended.slice(0, -1).map(row => row.hash),
      );
      expect(appended.map(row => row.seq)).toEqual(
        [...appended.map(row => row.seq)].sort((a, b) => a - b),
      );
      expect(new Set(appended.map(row => row.seq)).size).toBe(1234);
      expect(single.prevHash).toBe(appended[1233].hash);
      expect(second[0].prevHash).toBe(single.hash);
      expect(second[1].prevHash).toBe(second[0].hash);

      // The table holds exactly what was returned, in the same order.
      const rows = await knex('access_audit_events')
        .select('seq', 'action', 'prev_hash', 'hash', 'chain_scheme')
        .orderBy('seq');
      const returned = [first, ...appended, single, ...second];
      expect(
        rows.map(row => [Number(row.seq), row.action, row.prev_hash, row.hash]),
      ).toEqual(returned.map(e => [e.seq, e.action, e.prevHash, e.hash]));
      expect(new Set(rows.map(row => row.chain_scheme))).toEqual(
        new Set(['hmac-sha256']),
      );
      expect(
        await listAuditEvents(knex, batch[5].requestId!).then(list =>
          list.slice(0, 3),
        ),
      ).toEqual(
        appended.filter(e => e.requestId === batch[5].requestId).slice(0, 3),
      );

      const last = second[1];
      expect(await verifyAuditChain(knex, { batchSize: 100 })).toEqual({
        ok: true,
        checked: 1238,
        keyed: true,
        head: { seq: last.seq, hash: last.hash },
      });
      // Verifying without the key, or with another one, fails.
      expect((await verifyAuditChain(knex, { key: null })).ok).toBe(false);
      expect(
        (
          await verifyAuditChain(knex, {
            key: createChainKey(`${KEY}, but another`),
          })
        ).ok,
      ).toBe(false);
    },
  );

  it.each(databases.eachSupportedId())(
    'writes nothing when one event of a batch is bad, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      await expect(
        knex.transaction(tx =>
          appendAuditEvents(tx, [
            event(1),
            event(2, { at: '2026-11-22' as unknown as Date }),
          ]),
        ),
      ).rejects.toThrow('Audit event time must be a Date');
      const [{ n }] = await knex('access_audit_events').count({ n: '*' });
      expect(Number(n)).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps one chain when other transactions append during a batch, on %p',
    async databaseId => {
      if (!databaseId.startsWith('POSTGRES')) return;
      const knex = await init(databaseId);
      await knex.transaction(tx => appendAuditEvent(tx, event(0)));

      let releaseBatch!: () => void;
      const holding = new Promise<void>(resolve => {
        releaseBatch = resolve;
      });
      let batchAppended!: () => void;
      const appendedBatch = new Promise<void>(resolve => {
        batchAppended = resolve;
      });
      const batch = knex.transaction(async tx => {
        await appendAuditEvents(
          tx,
          Array.from({ length: 600 }, (_, i) =>
            event(i + 1, { action: 'batch' }),
          ),
        );
        batchAppended();
        // Others try to append while the batch's transaction is still open.
        await holding;
        await appendAuditEvents(tx, [event(700, { action: 'batch-tail' })]);
      });
      await appendedBatch;
      // Three, to leave one of the test pool's five connections for the count below.
      const singles = Array.from({ length: 3 }, (_, i) =>
        knex.transaction<unknown>(tx =>
          i !== 1
            ? appendAuditEvent(tx, event(800 + i, { action: 'single' }))
            : appendAuditEvents(tx, [
                event(800 + i, { action: 'small-batch' }),
                event(900 + i, { action: 'small-batch' }),
              ]),
        ),
      );
      await new Promise(resolve => setTimeout(resolve, 200));
      // None of them got in while the batch held the chain.
      const [{ n: during }] = await knex('access_audit_events').count({
        n: '*',
      });
      expect(Number(during)).toBe(1);
      releaseBatch();
      await batch;
      await Promise.all(singles);

      const rows = await knex('access_audit_events')
        .select('seq', 'action', 'prev_hash', 'hash')
        .orderBy('seq');
      expect(rows).toHaveLength(1 + 600 + 1 + 2 + 2);
      // The batch's rows, and its tail from the same transaction, are contiguous in the chain.
      expect(rows.slice(1, 602).map(row => row.action)).toEqual([
        ...Array(600).fill('batch'),
        'batch-tail',
      ]);
      expect(new Set(rows.map(row => row.prev_hash)).size).toBe(rows.length);
      const verification = await verifyAuditChain(knex);
      expect(verification).toEqual({
        ok: true,
        checked: rows.length,
        keyed: true,
        head: {
          seq: Number(rows[rows.length - 1].seq),
          hash: rows[rows.length - 1].hash,
        },
      });
    },
  );
});
