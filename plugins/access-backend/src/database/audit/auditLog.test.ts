import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createAccessTestDatabases } from '../../__testUtils__/testDatabases';
import { AccessDatabase } from '../AccessDatabase';
import {
  AuditEventInput,
  appendAuditEvent,
  listAuditEvents,
  verifyAuditChain,
} from '.';

jest.setTimeout(60_000);

const REQUEST_ID = '00000000-0000-4000-8000-000000000001';

function event(n: number, overrides?: Partial<AuditEventInput>) {
  return {
    requestId: REQUEST_ID,
    actorRef: 'user:default/dana',
    action: `action-${n}`,
    fromStatus: 'pending_approval',
    toStatus: 'approved',
    details: { reason: `because ${n}`, n, nested: { b: [1, 'two'], a: true } },
    // Sub-millisecond precision cannot be represented by Date; a non-zero millisecond part must
    // survive both databases.
    at: new Date(Date.UTC(2026, 10, 22, 10, 0, n, 123)),
    ...overrides,
  };
}

async function appendInOwnTransaction(
  knex: Knex,
  input: AuditEventInput,
): Promise<void> {
  await knex.transaction(tx => appendAuditEvent(tx, input));
}

describe('auditLog', () => {
  const databases = createAccessTestDatabases();

  async function init(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await AccessDatabase.create({ database: mockServices.database({ knex }) });
    return knex;
  }

  it.each(databases.eachSupportedId())(
    'chains appends from separate transactions, on %p',
    async databaseId => {
      const knex = await init(databaseId);

      const first = await knex.transaction(tx =>
        appendAuditEvent(tx, event(1)),
      );
      const second = await knex.transaction(tx =>
        appendAuditEvent(tx, event(2, { details: undefined })),
      );
      const third = await knex.transaction(tx =>
        appendAuditEvent(
          tx,
          event(3, { requestId: undefined, fromStatus: undefined }),
        ),
      );
      const other = await knex.transaction(tx =>
        appendAuditEvent(tx, event(4, { requestId: 'other' })),
      );

      expect(first.prevHash).toBeNull();
      expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(second.prevHash).toBe(first.hash);
      expect(third.prevHash).toBe(second.hash);
      expect(other.prevHash).toBe(third.hash);
      expect(second.seq).toBeGreaterThan(first.seq);
      expect(third.seq).toBeGreaterThan(second.seq);

      const listed = await listAuditEvents(knex, REQUEST_ID);
      expect(listed).toEqual([first, second]);
      expect(listed[0]).toEqual({
        seq: first.seq,
        requestId: REQUEST_ID,
        actorRef: 'user:default/dana',
        action: 'action-1',
        fromStatus: 'pending_approval',
        toStatus: 'approved',
        details: {
          reason: 'because 1',
          n: 1,
          nested: { a: true, b: [1, 'two'] },
        },
        at: new Date('2026-11-22T10:00:01.123Z'),
        prevHash: null,
        hash: first.hash,
      });
      expect(listed[1].details).toBeUndefined();
      expect(listed[0].at).toBeInstanceOf(Date);
      expect(await listAuditEvents(knex, 'other')).toEqual([other]);

      expect(await verifyAuditChain(knex)).toEqual({
        ok: true,
        checked: 4,
        keyed: false,
        head: { seq: other.seq, hash: other.hash },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'reports tampered details at the changed row, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      const appended = [];
      for (let n = 1; n <= 3; n++) {
        appended.push(
          await knex.transaction(tx => appendAuditEvent(tx, event(n))),
        );
      }
      expect(await verifyAuditChain(knex)).toEqual({
        ok: true,
        checked: 3,
        keyed: false,
        head: { seq: appended[2].seq, hash: appended[2].hash },
      });

      await knex('access_audit_events')
        .where({ seq: appended[1].seq })
        .update({ details: JSON.stringify({ reason: 'rewritten' }) });

      expect(await verifyAuditChain(knex)).toEqual({
        ok: false,
        checked: 2,
        keyed: false,
        brokenAt: appended[1].seq,
        problem: expect.any(String),
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'reports a tampered action at the changed row, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      const appended = [];
      for (let n = 1; n <= 3; n++) {
        appended.push(
          await knex.transaction(tx => appendAuditEvent(tx, event(n))),
        );
      }

      await knex('access_audit_events')
        .where({ seq: appended[2].seq })
        .update({ action: 'approve' });

      const result = await verifyAuditChain(knex);
      expect(result).toMatchObject({
        ok: false,
        checked: 3,
        brokenAt: appended[2].seq,
      });
      expect(result.problem).toMatch(/hash/);
    },
  );

  it.each(databases.eachSupportedId())(
    'reports a deleted row at the row after it, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      const appended = [];
      for (let n = 1; n <= 4; n++) {
        appended.push(
          await knex.transaction(tx => appendAuditEvent(tx, event(n))),
        );
      }

      await knex('access_audit_events')
        .where({ seq: appended[1].seq })
        .delete();

      const result = await verifyAuditChain(knex);
      expect(result).toMatchObject({
        ok: false,
        checked: 2,
        brokenAt: appended[2].seq,
      });
      expect(result.problem).toMatch(/prev_hash/);
    },
  );

  it.each(databases.eachSupportedId())(
    'reports a deleted first row, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      const appended = [];
      for (let n = 1; n <= 2; n++) {
        appended.push(
          await knex.transaction(tx => appendAuditEvent(tx, event(n))),
        );
      }
      await knex('access_audit_events')
        .where({ seq: appended[0].seq })
        .delete();

      expect(await verifyAuditChain(knex)).toMatchObject({
        ok: false,
        checked: 1,
        brokenAt: appended[1].seq,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves no row when the transaction rolls back, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      const first = await knex.transaction(tx =>
        appendAuditEvent(tx, event(1)),
      );

      await expect(
        knex.transaction(async tx => {
          await appendAuditEvent(tx, event(2));
          throw new Error('state change failed');
        }),
      ).rejects.toThrow('state change failed');

      expect(await listAuditEvents(knex, REQUEST_ID)).toEqual([first]);
      expect(await verifyAuditChain(knex)).toEqual({
        ok: true,
        checked: 1,
        keyed: false,
        head: { seq: first.seq, hash: first.hash },
      });

      // The next append chains to the surviving head.
      const next = await knex.transaction(tx => appendAuditEvent(tx, event(3)));
      expect(next.prevHash).toBe(first.hash);
      expect(await verifyAuditChain(knex)).toEqual({
        ok: true,
        checked: 2,
        keyed: false,
        head: { seq: next.seq, hash: next.hash },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'forms one chain from concurrent transactions, on %p',
    async databaseId => {
      if (!databaseId.startsWith('POSTGRES')) return;
      const knex = await init(databaseId);

      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          knex.transaction(async tx => {
            await appendAuditEvent(tx, event(i, { action: `concurrent-${i}` }));
            // Hold the transaction open a little so that others contend for the lock.
            await new Promise(resolve => setTimeout(resolve, 5));
          }),
        ),
      );

      const rows = await knex('access_audit_events')
        .select('seq', 'prev_hash', 'hash', 'action')
        .orderBy('seq');
      expect(rows).toHaveLength(30);
      expect(new Set(rows.map(row => row.prev_hash)).size).toBe(30);
      expect(rows.filter(row => row.prev_hash === null)).toHaveLength(1);
      expect(new Set(rows.map(row => row.action)).size).toBe(30);
      expect(await verifyAuditChain(knex)).toEqual({
        ok: true,
        checked: 30,
        keyed: false,
        head: { seq: Number(rows[29].seq), hash: rows[29].hash },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'verifies across several batches, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      for (let n = 1; n <= 5; n++) {
        await appendInOwnTransaction(knex, event(n));
      }
      const selects: string[] = [];
      const onQuery = (query: { sql: string }) => {
        if (
          /^select/i.test(query.sql) &&
          query.sql.includes('access_audit_events')
        ) {
          selects.push(query.sql);
        }
      };
      const all = await knex('access_audit_events')
        .select('seq', 'hash')
        .orderBy('seq');
      knex.on('query', onQuery);
      try {
        expect(await verifyAuditChain(knex, { batchSize: 2 })).toEqual({
          ok: true,
          checked: 5,
          keyed: false,
          head: { seq: Number(all[4].seq), hash: all[4].hash },
        });
        // Batches of 2, 2 and 1 rows.
        expect(selects).toHaveLength(3);

        const rows = await knex('access_audit_events')
          .select('seq')
          .orderBy('seq');
        await knex('access_audit_events')
          .where({ seq: rows[4].seq })
          .update({ actor_ref: 'user:default/mallory' });
        expect(await verifyAuditChain(knex, { batchSize: 2 })).toMatchObject({
          ok: false,
          checked: 5,
          brokenAt: Number(rows[4].seq),
        });
      } finally {
        knex.off('query', onQuery);
      }

      // An exact multiple of the batch size ends with one empty batch.
      await knex('access_audit_events').delete();
      for (let n = 1; n <= 4; n++) {
        await appendInOwnTransaction(knex, event(n));
      }
      expect(await verifyAuditChain(knex, { batchSize: 2 })).toEqual({
        ok: true,
        checked: 4,
        keyed: false,
        head: expect.objectContaining({ hash: expect.any(String) }),
      });
      await expect(verifyAuditChain(knex, { batchSize: 0 })).rejects.toThrow(
        RangeError,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'verifies an empty log, on %p',
    async databaseId => {
      const knex = await init(databaseId);
      expect(await verifyAuditChain(knex)).toEqual({
        ok: true,
        checked: 0,
        keyed: false,
      });
    },
  );
});
