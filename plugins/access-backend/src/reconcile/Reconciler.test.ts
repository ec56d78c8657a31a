import { accessStores } from '../database/AccessDatabase';
import { mockServices } from '@backstage/backend-test-utils';
import { ObservedAccess } from '@jit-access/plugin-access-node';
import {
  grantRow,
  migratedStore,
  recordingProvisioner,
  seedApprovedRequest,
  TestClock,
  testEngine,
  testGateway,
} from '../__testUtils__/engineFixtures';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { listAuditEvents } from '../database/audit';
import { Reconciler } from './Reconciler';

jest.setTimeout(60_000);

const HOUR = 3600_000;
const DB = 'resource:default/payments-db';

describe('Reconciler', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    're-revokes ended access, reports untracked access and marks vanished grants, on %p',
    async databaseId => {
      const db = await migratedStore(await databases.init(databaseId));
      const clock = new TestClock();
      let observed: ObservedAccess[] = [];
      const { provisioner, calls } = recordingProvisioner('test', {
        overlap: 'independent',
        observe: async () => observed,
      });
      const engine = testEngine(db, clock, [provisioner]);
      const ended = await seedApprovedRequest(db, {
        now: clock.now(),
        granteeRef: 'user:default/sam',
        endsAt: new Date(clock.current.getTime() + HOUR),
      });
      const live = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: new Date(clock.current.getTime() + 2 * HOUR),
      });
      await engine.tick();
      clock.advance(HOUR);
      await engine.tick(); // the first grant expires
      expect((await grantRow(db, ended.grantIds[0])).state).toBe('expired');

      // The target still has the ended access, has one nobody asked for, and lost the live one.
      observed = [
        {
          resourceRef: DB,
          permission: 'read',
          granteeRef: 'user:default/sam',
          grantId: ended.grantIds[0],
        },
        {
          resourceRef: DB,
          permission: 'write',
          granteeRef: 'user:default/eve',
        },
      ];
      const reconciler = new Reconciler({
        stores: accessStores(db),
        gateway: testGateway([provisioner]),
        logger: mockServices.rootLogger({ level: 'none' }),
        now: clock.now,
      });
      const findings = await reconciler.run();
      expect(findings.map(f => f.kind).sort()).toEqual([
        'missing',
        'still-present',
        'untracked',
      ]);
      const revokesOfEnded = calls.filter(
        c => c.action === 'revoke' && c.target.grantId === ended.grantIds[0],
      );
      expect(revokesOfEnded).toHaveLength(2); // at expiry, and again now
      expect(
        (await grantRow(db, live.grantIds[0])).missing_since,
      ).not.toBeNull();

      const page = await reconciler.list({ limit: 10 });
      expect(page.items).toHaveLength(3);
      expect(page.items.find(f => f.kind === 'untracked')).toMatchObject({
        provisionerId: 'test',
        resourceRef: DB,
        permission: 'write',
        granteeRef: 'user:default/eve',
        detail: 'Access that no grant of this portal explains',
      });
      const audit = await listAuditEvents(db, ended.requestId);
      expect(audit.map(e => e.action)).toContain('reconcile-still-present');

      // A second pass does not repeat what it reported a moment ago, except re-revocations.
      const again = await reconciler.run();
      expect(again.map(f => f.kind)).toEqual(['still-present']);

      // The access comes back: the mark goes.
      observed = [
        {
          resourceRef: DB,
          permission: 'read',
          granteeRef: 'user:default/dana',
          grantId: live.grantIds[0],
        },
      ];
      expect(await reconciler.run()).toEqual([]);
      expect((await grantRow(db, live.grantIds[0])).missing_since).toBeNull();
    },
  );
});
