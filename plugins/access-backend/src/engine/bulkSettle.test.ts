import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { listAuditEvents, verifyAuditChain } from '../database/audit';
import { createChainKey, setAuditChainKey } from '../database/audit';
import {
  migratedStore,
  recordingProvisioner,
  testEngine,
  TestClock,
} from '../__testUtils__/engineFixtures';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { RequestRow } from '../database/requests/requestRows';
import { applyTransitions } from '../database/requests/transitions';
import { AccessEvents, StatusChange } from '../events/AccessEvents';

jest.setTimeout(180_000);

/** Active requests with one active grant each (some with a second), ending at `endsAt`. */
async function seedActive(
  db: Knex,
  count: number,
  now: Date,
  endsAt: Date,
): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const requests = ids.map((id, i) => ({
    id,
    submission_id: randomUUID(),
    requester_ref: `user:default/person-${i}`,
    grantee_ref: `user:default/person-${i}`,
    flow_id: 'self-service',
    status: 'active',
    version: 2,
    ends_at: endsAt,
    created_at: now,
    updated_at: now,
  }));
  const grants = ids.flatMap((id, i) =>
    Array.from({ length: i % 10 === 0 ? 2 : 1 }, (_, n) => ({
      id: randomUUID(),
      request_id: id,
      resource_ref: `resource:default/db-${n}`,
      permission: 'read',
      provisioner_id: 'test',
      grantee_ref: `user:default/person-${i}`,
      state: 'active',
      version: 2,
      granted_at: now,
      expires_at: endsAt,
    })),
  );
  await db.batchInsert('access_requests', requests, 50);
  await db.batchInsert('access_grants', grants, 50);
  return ids;
}

describe('bookkeeping in bulk', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    'mass expiry moves every request to expired with one audit event per move, written in batches, on %p',
    async databaseId => {
      const db = await migratedStore(await databases.init(databaseId));
      setAuditChainKey(db, createChainKey('a chain key for the bulk tests'));
      const clock = new TestClock();
      const ending = await seedActive(
        db,
        1100,
        clock.now(),
        new Date(clock.now().getTime() + 60_000),
      );
      const later = await seedActive(
        db,
        20,
        clock.now(),
        new Date(clock.now().getTime() + 3_600_000),
      );
      const { provisioner, calls } = recordingProvisioner('test', {
        overlap: 'independent',
      });
      const reported: StatusChange[] = [];
      const channel = new AccessEvents();
      channel.on('statusChanged', changes => {
        reported.push(...changes);
      });
      const engine = testEngine(db, clock, [provisioner], { events: channel });

      clock.advance(120_000);
      const auditInserts: string[] = [];
      const onQuery = (query: { sql: string }) => {
        if (/^insert into [`"]?access_audit_events/i.test(query.sql)) {
          auditInserts.push(query.sql);
        }
      };
      db.on('query', onQuery);
      try {
        await engine.tick();
      } finally {
        db.off('query', onQuery);
      }

      expect(calls.filter(c => c.action === 'revoke')).toHaveLength(1210);
      const statuses: Array<{ status: string; n: string | number }> = await db(
        'access_requests',
      )
        .select('status')
        .count({ n: '*' })
        .groupBy('status');
      expect(
        Object.fromEntries(statuses.map(row => [row.status, Number(row.n)])),
      ).toEqual({ expired: 1100, active: 20 });
      const laterRows = await db<RequestRow>('access_requests').whereIn(
        'id',
        later,
      );
      expect(laterRows.every(row => row.status === 'active')).toBe(true);

      // Each request moved twice, each move with exactly one audit event, in order.
      const events = await db('access_audit_events')
        .select('request_id', 'action', 'from_status', 'to_status')
        .orderBy('seq');
      expect(events).toHaveLength(2200);
      const byRequest = new Map<string, string[]>();
      for (const e of events) {
        byRequest.set(e.request_id, [
          ...(byRequest.get(e.request_id) ?? []),
          `${e.action}:${e.from_status}->${e.to_status}`,
        ]);
      }
      expect(new Set(byRequest.keys())).toEqual(new Set(ending));
      for (const moves of byRequest.values()) {
        expect(moves).toEqual([
          'expire:active->revoking',
          'expired:revoking->expired',
        ]);
      }
      const [one] = await listAuditEvents(db, ending[7]).then(list =>
        list.slice(1),
      );
      expect(one.details).toEqual({ reason: 'Access ended' });
      expect((await verifyAuditChain(db)).ok).toBe(true);

      // Announced after the batches committed: each request from active to expired (through
      // revoking in two announcements when its two grants were written in different batches).
      const announced = new Map<string, string>();
      for (const c of reported) {
        const path = announced.get(c.requestId) ?? c.from;
        expect(path.endsWith(c.from)).toBe(true);
        announced.set(c.requestId, `${path}->${c.to}`);
      }
      expect(new Set(announced.keys())).toEqual(new Set(ending));
      for (const path of announced.values()) {
        expect(['active->expired', 'active->revoking->expired']).toContain(
          path,
        );
      }

      // Written in batches: a few INSERTs of audit rows, not one per move (2,200 before).
      expect(auditInserts.length).toBeGreaterThan(0);
      expect(auditInserts.length).toBeLessThanOrEqual(60);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a whole batch of transitions when one request changed since it was read, on %p',
    async databaseId => {
      const db = await migratedStore(await databases.init(databaseId));
      const clock = new TestClock();
      const ids = await seedActive(
        db,
        5,
        clock.now(),
        new Date(clock.now().getTime() + 60_000),
      );
      const rows = await db<RequestRow>('access_requests')
        .whereIn('id', ids)
        .orderBy('id');
      // Someone else moved the third request meanwhile.
      await db('access_requests')
        .where({ id: rows[2].id })
        .update({ status: 'revoking', version: rows[2].version + 1 });

      const at = clock.now();
      await expect(
        db.transaction(tx =>
          applyTransitions(
            tx,
            rows.map((row, i) => ({
              current: row,
              transition: {
                to: 'revoking',
                actorRef: 'user:default/lee',
                action: 'revoke',
                reason: `revoked ${i}`,
                // Moves that change different columns go in different statements.
                ...(i % 2 === 0 ? { patch: { extensions_used: 1 } } : {}),
                at,
              },
            })),
          ),
        ),
      ).rejects.toThrow(
        new ConflictError('The request changed meanwhile; it is now revoking'),
      );
      const after = await db<RequestRow>('access_requests')
        .whereIn('id', ids)
        .orderBy('id');
      expect(after.map(row => [row.status, row.version])).toEqual(
        rows.map((row, i) =>
          i === 2 ? ['revoking', row.version + 1] : ['active', row.version],
        ),
      );
      const [{ n }] = await db('access_audit_events').count({ n: '*' });
      expect(Number(n)).toBe(0);

      // The others, read afresh, move together; each keeps its own reason and patch.
      const fresh = after.filter((_, i) => i !== 2);
      await db.transaction(tx =>
        applyTransitions(
          tx,
          fresh.map((row, i) => ({
            current: row,
            transition: {
              to: 'revoking',
              actorRef: 'user:default/lee',
              action: 'revoke',
              reason: `revoked ${i}`,
              ...(i % 2 === 0 ? { patch: { extensions_used: 1 } } : {}),
              at,
            },
          })),
        ),
      );
      const moved = await db<RequestRow>('access_requests')
        .whereIn(
          'id',
          fresh.map(row => row.id),
        )
        .orderBy('id');
      expect(
        moved.map(row => [
          row.status,
          row.status_reason,
          row.extensions_used,
          row.version,
        ]),
      ).toEqual(
        fresh.map((row, i) => [
          'revoking',
          `revoked ${i}`,
          i % 2 === 0 ? 1 : 0,
          row.version + 1,
        ]),
      );
      const events = await db('access_audit_events')
        .select('request_id', 'details')
        .orderBy('seq');
      expect(events.map(e => e.request_id)).toEqual(fresh.map(row => row.id));
      expect((await verifyAuditChain(db)).ok).toBe(true);
    },
  );
});
