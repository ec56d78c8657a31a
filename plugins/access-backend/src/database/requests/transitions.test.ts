import { ConflictError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { migratedStore } from '../../__testUtils__/engineFixtures';
import { createAccessTestDatabases } from '../../__testUtils__/testDatabases';
import { listAuditEvents, verifyAuditChain } from '../audit';
import { RequestRow } from './requestRows';
import { applyTransitions, RequestTransition } from './transitions';

jest.setTimeout(60_000);

const AT = new Date('2026-12-01T10:00:00Z');

describe('applyTransitions with a request moving twice in one batch', () => {
  const databases = createAccessTestDatabases();

  async function seed(databaseId: Parameters<typeof databases.init>[0]) {
    const db = await migratedStore(await databases.init(databaseId));
    const ids = [randomUUID(), randomUUID()];
    await db('access_requests').insert(
      ids.map((id, i) => ({
        id,
        submission_id: randomUUID(),
        requester_ref: `user:default/person-${i}`,
        grantee_ref: `user:default/person-${i}`,
        flow_id: 'self-service',
        status: 'active',
        version: 3,
        created_at: AT,
        updated_at: AT,
      })),
    );
    const rows = await db<RequestRow>('access_requests')
      .whereIn('id', ids)
      .orderBy('id');
    return { db, rows };
  }

  /** active -> revoking -> expired for each row, the first moves of all before the second. */
  function expiryMoves(rows: RequestRow[]): RequestTransition[] {
    const first = rows.map(current => ({
      current,
      transition: {
        to: 'revoking' as const,
        actorRef: 'plugin:access',
        action: 'expire',
        reason: 'Access ended',
        at: AT,
      },
    }));
    const second = rows.map(row => ({
      current: {
        ...row,
        status: 'revoking' as const,
        status_reason: 'Access ended',
        version: row.version + 1,
      },
      transition: {
        to: 'expired' as const,
        actorRef: 'plugin:access',
        action: 'expired',
        reason: 'Access ended',
        at: AT,
      },
    }));
    return [...first, ...second];
  }

  it.each(databases.eachSupportedId())(
    'writes each request once, its version raised by both moves, with both audit events in order, on %p',
    async databaseId => {
      const { db, rows } = await seed(databaseId);
      const moved = await db.transaction(tx =>
        applyTransitions(tx, expiryMoves(rows)),
      );
      expect(moved.map(row => [row.status, row.version])).toEqual([
        ['revoking', 4],
        ['revoking', 4],
        ['expired', 5],
        ['expired', 5],
      ]);
      const after = await db<RequestRow>('access_requests')
        .whereIn(
          'id',
          rows.map(row => row.id),
        )
        .orderBy('id');
      expect(after.map(row => [row.status, row.version])).toEqual([
        ['expired', 5],
        ['expired', 5],
      ]);
      for (const row of rows) {
        const events = await listAuditEvents(db, row.id);
        expect(events.map(e => [e.action, e.fromStatus, e.toStatus])).toEqual([
          ['expire', 'active', 'revoking'],
          ['expired', 'revoking', 'expired'],
        ]);
      }
      // The chain holds the first moves of both requests before the second ones.
      const all = await db('access_audit_events').orderBy('seq');
      expect(all.map(e => [e.request_id, e.to_status])).toEqual([
        [rows[0].id, 'revoking'],
        [rows[1].id, 'revoking'],
        [rows[0].id, 'expired'],
        [rows[1].id, 'expired'],
      ]);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a second move that does not start where the first left the request, writing nothing, on %p',
    async databaseId => {
      const { db, rows } = await seed(databaseId);
      const [first, , second] = expiryMoves(rows);
      // From active again: not where the first move left it.
      await expect(
        db.transaction(tx =>
          applyTransitions(tx, [first, { ...second, current: rows[0] }]),
        ),
      ).rejects.toThrow(/starts where the one before it left it/);
      // A move the status machine does not allow after the first one.
      await expect(
        db.transaction(tx =>
          applyTransitions(tx, [
            first,
            {
              current: second.current,
              transition: { ...second.transition, to: 'active' },
            },
          ]),
        ),
      ).rejects.toThrow(
        new ConflictError('Cannot expired a request that is revoking'),
      );
      const after = await db<RequestRow>('access_requests').where({
        id: rows[0].id,
      });
      expect(after.map(row => [row.status, row.version])).toEqual([
        ['active', 3],
      ]);
      expect(await listAuditEvents(db, rows[0].id)).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses the whole batch when a request changed since it was read, on %p',
    async databaseId => {
      const { db, rows } = await seed(databaseId);
      await db('access_requests')
        .where({ id: rows[1].id })
        .update({ version: rows[1].version + 1 });
      await expect(
        db.transaction(tx => applyTransitions(tx, expiryMoves(rows))),
      ).rejects.toThrow(
        new ConflictError('The request changed meanwhile; it is now active'),
      );
      const after = await db<RequestRow>('access_requests')
        .whereIn(
          'id',
          rows.map(row => row.id),
        )
        .orderBy('id');
      expect(after.map(row => [row.status, row.version])).toEqual([
        ['active', 3],
        ['active', 4],
      ]);
    },
  );
});
