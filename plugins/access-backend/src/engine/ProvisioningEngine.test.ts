import { ProvisioningError } from '@jit-access/plugin-access-node';
import {
  grantRow,
  migratedStore,
  recordingProvisioner,
  requestStatus,
  seedApprovedRequest,
  TestClock,
  testEngine,
} from '../__testUtils__/engineFixtures';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { CredentialVault } from './CredentialVault';
import { GrantStore } from '../database/grants/GrantStore';
import { applyTransition } from '../database/requests/transitions';

jest.setTimeout(60_000);

const HOUR = 3600_000;
const DB_READ = {
  resourceRef: 'resource:default/payments-db',
  permission: 'read',
};
const DB_WRITE = {
  resourceRef: 'resource:default/payments-db',
  permission: 'write',
};

describe('ProvisioningEngine', () => {
  const databases = createAccessTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const setup = async () => {
      const db = await migratedStore(await databases.init(databaseId));
      return { db, clock: new TestClock() };
    };

    it('grants due work, seals the credentials and makes the request active', async () => {
      const { db, clock } = await setup();
      const { provisioner, calls } = recordingProvisioner('test', {
        grant: async () => ({
          externalId: 'role-1',
          credentials: { user: 'jit_1', password: 's3cret' },
        }),
      });
      const engine = testEngine(db, clock, [provisioner]);
      const end = new Date(clock.current.getTime() + HOUR);
      const { requestId, grantIds } = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: end,
      });

      await engine.tick();

      expect(calls).toHaveLength(1);
      expect(calls[0].target).toMatchObject({
        grantId: grantIds[0],
        requestId,
        resourceRef: DB_READ.resourceRef,
        resourceType: 'database',
        permission: 'read',
        granteeRef: 'user:default/dana',
        endsAt: end.toISOString(),
      });
      expect(calls[0].ctx.idempotencyKey).toBe(`${grantIds[0]}:grant`);
      expect(await requestStatus(db, requestId)).toBe('active');
      const grant = await grantRow(db, grantIds[0]);
      expect(grant).toMatchObject({
        state: 'active',
        external_id: 'role-1',
        credentials_state: 'ready',
      });
      // Sealed at rest: the password is not in the row, and only the right key opens it.
      expect(grant.credentials).not.toContain('s3cret');
      expect(
        new CredentialVault('a test key that is long enough to be used').open(
          grantIds[0],
          grant.credentials,
        ),
      ).toEqual({ user: 'jit_1', password: 's3cret' });
      expect(
        new CredentialVault('another key, just as long as the first').open(
          grantIds[0],
          grant.credentials,
        ),
      ).toBeUndefined();
    });

    it('retries transient errors with capped exponential backoff, then fails the request', async () => {
      const { db, clock } = await setup();
      const { provisioner, calls } = recordingProvisioner('test', {
        grant: async () => {
          throw new Error('connection refused');
        },
      });
      const engine = testEngine(db, clock, [provisioner]);
      const { requestId, grantIds } = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: new Date(clock.current.getTime() + HOUR),
      });

      await engine.tick();
      expect(calls).toHaveLength(1);
      let grant = await grantRow(db, grantIds[0]);
      expect(grant).toMatchObject({
        state: 'granting',
        attempts: 1,
        last_error: 'connection refused',
      });
      expect(await engine.scheduleWakeUp()).toEqual(
        new Date(clock.current.getTime() + 1000),
      );

      clock.advance(999);
      await engine.tick();
      expect(calls).toHaveLength(1); // not due yet

      clock.advance(1);
      await engine.tick();
      expect(calls).toHaveLength(2);
      expect(await engine.scheduleWakeUp()).toEqual(
        new Date(clock.current.getTime() + 2000),
      );

      clock.advance(2000);
      await engine.tick();
      expect(calls).toHaveLength(3);
      grant = await grantRow(db, grantIds[0]);
      expect(grant.state).toBe('failed');
      expect(grant.last_error).toBe(
        'connection refused (gave up after 3 attempts)',
      );
      const request = await db('access_requests')
        .where({ id: requestId })
        .first();
      expect(request.status).toBe('failed');
      expect(request.status_reason).toBe(
        'Granting failed: connection refused (gave up after 3 attempts)',
      );
    });

    it('fails a permanent error at once and reports a partially fulfilled request', async () => {
      const { db, clock } = await setup();
      const { provisioner, calls } = recordingProvisioner('test', {
        grant: async target => {
          if (target.permission === 'write') {
            throw new ProvisioningError('role payments_rw does not exist', {
              permanent: true,
            });
          }
        },
      });
      const engine = testEngine(db, clock, [provisioner]);
      const { requestId } = await seedApprovedRequest(db, {
        now: clock.now(),
        items: [DB_READ, DB_WRITE],
        endsAt: new Date(clock.current.getTime() + HOUR),
      });

      await engine.tick();

      expect(calls).toHaveLength(2);
      const request = await db('access_requests')
        .where({ id: requestId })
        .first();
      expect(request.status).toBe('active');
      expect(request.status_reason).toBe(
        'Partially fulfilled: 1 of 2 items failed',
      );
      const states = (
        await db('access_grants').where({ request_id: requestId })
      )
        .map(g => `${g.permission}:${g.state}:${g.last_error ?? ''}`)
        .sort();
      expect(states).toEqual([
        'read:active:',
        'write:failed:role payments_rw does not exist',
      ]);
    });

    it('fails grants whose provisioner is not installed, saying which', async () => {
      const { db, clock } = await setup();
      const engine = testEngine(db, clock, []);
      const { requestId } = await seedApprovedRequest(db, {
        now: clock.now(),
        provisionerId: 'ldap',
        endsAt: new Date(clock.current.getTime() + HOUR),
      });
      await engine.tick();
      const request = await db('access_requests')
        .where({ id: requestId })
        .first();
      expect(request.status).toBe('failed');
      expect(request.status_reason).toBe(
        "Granting failed: No provisioner 'ldap' is installed",
      );
    });

    it('waits for a scheduled start, then grants', async () => {
      const { db, clock } = await setup();
      const { provisioner, calls } = recordingProvisioner('test');
      const engine = testEngine(db, clock, [provisioner]);
      const startsAt = new Date(clock.current.getTime() + HOUR);
      const { requestId } = await seedApprovedRequest(db, {
        now: clock.now(),
        startsAt,
        endsAt: new Date(startsAt.getTime() + HOUR),
      });

      await engine.tick();
      expect(calls).toHaveLength(0);
      expect(await requestStatus(db, requestId)).toBe('scheduled');
      expect(await engine.scheduleWakeUp()).toEqual(startsAt);

      clock.current = startsAt;
      await engine.tick();
      expect(calls.map(c => c.action)).toEqual(['grant']);
      expect(calls[0].target.startsAt).toBe(startsAt.toISOString());
      expect(await requestStatus(db, requestId)).toBe('active');
    });

    it('revokes access at its end and the request expires', async () => {
      const { db, clock } = await setup();
      const { provisioner, calls } = recordingProvisioner('test');
      const engine = testEngine(db, clock, [provisioner]);
      const end = new Date(clock.current.getTime() + HOUR);
      const { requestId, grantIds } = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: end,
      });
      await engine.tick();
      expect(await engine.scheduleWakeUp()).toEqual(end);

      clock.current = new Date(end.getTime() - 1);
      await engine.tick();
      expect(await requestStatus(db, requestId)).toBe('active');

      clock.current = end;
      await engine.tick();
      expect(calls.map(c => c.action)).toEqual(['grant', 'revoke']);
      expect(calls[1].ctx.idempotencyKey).toBe(`${grantIds[0]}:revoke`);
      const request = await db('access_requests')
        .where({ id: requestId })
        .first();
      expect(request).toMatchObject({
        status: 'expired',
        status_reason: 'Access ended',
      });
      expect(await grantRow(db, grantIds[0])).toMatchObject({
        state: 'expired',
        credentials: null,
      });
    });

    it('keeps shared access that another live grant still covers, and revokes it with the last one', async () => {
      const { db, clock } = await setup();
      const { provisioner, calls } = recordingProvisioner('test');
      const engine = testEngine(db, clock, [provisioner]);
      const first = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: new Date(clock.current.getTime() + HOUR),
      });
      const second = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: new Date(clock.current.getTime() + 2 * HOUR),
      });
      await engine.tick();
      expect(calls.filter(c => c.action === 'grant')).toHaveLength(2);

      clock.advance(HOUR);
      await engine.tick();
      expect(calls.filter(c => c.action === 'revoke')).toHaveLength(0);
      expect(await requestStatus(db, first.requestId)).toBe('expired');
      expect((await grantRow(db, first.grantIds[0])).last_error).toBe(
        `Access kept: grant ${second.grantIds[0]} covers it`,
      );

      clock.advance(HOUR);
      await engine.tick();
      expect(
        calls.filter(c => c.action === 'revoke').map(c => c.target.grantId),
      ).toEqual([second.grantIds[0]]);
      expect(await requestStatus(db, second.requestId)).toBe('expired');
    });

    it('revokes each grant of an independent provisioner on its own', async () => {
      const { db, clock } = await setup();
      const { provisioner, calls } = recordingProvisioner('test', {
        overlap: 'independent',
      });
      const engine = testEngine(db, clock, [provisioner]);
      const first = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: new Date(clock.current.getTime() + HOUR),
      });
      await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: new Date(clock.current.getTime() + 2 * HOUR),
      });
      await engine.tick();
      clock.advance(HOUR);
      await engine.tick();
      expect(
        calls.filter(c => c.action === 'revoke').map(c => c.target.grantId),
      ).toEqual([first.grantIds[0]]);
    });

    it('takes over work whose worker died, once its lease has run out', async () => {
      const { db, clock } = await setup();
      const { provisioner, calls } = recordingProvisioner('test');
      const engine = testEngine(db, clock, [provisioner], { leaseMs: 60_000 });
      const { requestId, grantIds } = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: new Date(clock.current.getTime() + HOUR),
      });
      // A worker claims the grant and dies before writing anything back.
      const claimed = await new GrantStore(db).claimDue({
        now: clock.now(),
        leaseMs: 60_000,
        limit: 10,
      });
      expect(claimed.map(g => g.id)).toEqual(grantIds);

      await engine.tick();
      expect(calls).toHaveLength(0);

      clock.advance(60_000);
      await engine.tick();
      expect(calls).toHaveLength(1);
      expect(await requestStatus(db, requestId)).toBe('active');
      expect((await grantRow(db, grantIds[0])).attempts).toBe(2);
    });

    it('lets two engines share the work without doing any grant twice', async () => {
      const { db, clock } = await setup();
      const { provisioner, calls } = recordingProvisioner('test', {
        // Slow enough that both engines are claiming at the same time.
        grant: () => new Promise(resolve => setTimeout(resolve, 5)),
      });
      const seeded = [];
      for (let i = 0; i < 40; i++) {
        seeded.push(
          await seedApprovedRequest(db, {
            now: clock.now(),
            granteeRef: `user:default/person-${i}`,
            endsAt: new Date(clock.current.getTime() + HOUR),
          }),
        );
      }
      const a = testEngine(db, clock, [provisioner], { concurrency: 4 });
      const b = testEngine(db, clock, [provisioner], { concurrency: 4 });
      await Promise.all([a.tick(), b.tick(), a.runDue(), b.runDue()]);

      const perGrant = new Map<string, number>();
      for (const call of calls) {
        perGrant.set(
          call.target.grantId,
          (perGrant.get(call.target.grantId) ?? 0) + 1,
        );
      }
      expect(perGrant.size).toBe(40);
      expect([...perGrant.values()].every(n => n === 1)).toBe(true);
      for (const { requestId } of seeded) {
        expect(await requestStatus(db, requestId)).toBe('active');
      }
    });

    it('revokes again a grant that succeeded after its request was revoked', async () => {
      const { db, clock } = await setup();
      let finishGrant: () => void = () => {};
      const { provisioner, calls } = recordingProvisioner('test', {
        grant: () => new Promise(resolve => (finishGrant = () => resolve())),
      });
      const slow = testEngine(db, clock, [provisioner]);
      const other = testEngine(db, clock, [provisioner]);
      const { requestId, grantIds } = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: new Date(clock.current.getTime() + HOUR),
      });
      const granting = slow.runDue();
      while (calls.length === 0) {
        await new Promise(r => setTimeout(r, 5));
      }
      // The requester revokes while the grant call is still out.
      await db.transaction(async tx => {
        const row = await tx('access_requests')
          .where({ id: requestId })
          .first();
        await applyTransition(tx, row, {
          to: 'revoking',
          actorRef: 'user:default/dana',
          action: 'revoke',
          at: clock.now(),
        });
        await new GrantStore(tx).beginRevocation(
          tx,
          requestId,
          'revoked',
          clock.now(),
        );
      });
      await other.tick();
      expect(await requestStatus(db, requestId)).toBe('revoked');

      finishGrant();
      await granting;
      expect((await grantRow(db, grantIds[0])).state).toBe('revoking');
      await other.tick();
      expect(calls.map(c => c.action)).toEqual(['grant', 'revoke', 'revoke']);
      expect((await grantRow(db, grantIds[0])).state).toBe('revoked');
    });
  });
});
