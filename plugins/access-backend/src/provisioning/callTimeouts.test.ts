import { accessStores } from '../database/AccessDatabase';
import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { AccessProvisioner } from '@jit-access/plugin-access-node';
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
import { CredentialService } from '../credentials/CredentialService';
import { CredentialVault } from '../engine/CredentialVault';
import { Reconciler } from '../reconcile/Reconciler';

jest.setTimeout(60_000);

const HOUR = 3600_000;
const TIMEOUT_MS = 40;
const TIMED_OUT = `Timed out after ${TIMEOUT_MS} ms: `;
const never = () => new Promise<never>(() => {});

/**
 * Every service that calls provisioners does so through the gateway, with the configured call
 * timeout: a provisioner that never answers fails each call with the timeout as its reason.
 */
describe('the configured call timeout, through the services', () => {
  const databases = createAccessTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const setup = async (provisioner: AccessProvisioner) => {
      const db = await migratedStore(await databases.init(databaseId));
      const clock = new TestClock();
      const gateway = testGateway([provisioner], TIMEOUT_MS);
      const engine = testEngine(db, clock, [provisioner], { gateway });
      return { db, clock, gateway, engine };
    };

    it('engine: a grant call that never answers is retried, the timeout its error', async () => {
      const { provisioner } = recordingProvisioner('test', { grant: never });
      const { db, clock, engine } = await setup(provisioner);
      const { grantIds } = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: new Date(clock.current.getTime() + HOUR),
      });
      await engine.tick();
      const grant = await grantRow(db, grantIds[0]);
      expect(grant.state).toBe('granting');
      expect(grant.last_error).toMatch(new RegExp(`^${TIMED_OUT}`));
    });

    it('engine: a revoke call that never answers is retried, the timeout its error', async () => {
      const { provisioner } = recordingProvisioner('test', { revoke: never });
      const { db, clock, engine } = await setup(provisioner);
      const { grantIds } = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: new Date(clock.current.getTime() + HOUR),
      });
      await engine.tick();
      clock.advance(HOUR);
      await engine.tick();
      const grant = await grantRow(db, grantIds[0]);
      expect(grant.state).toBe('revoking');
      expect(grant.last_error).toMatch(new RegExp(`^${TIMED_OUT}`));
    });

    it('credentials: a reset that never answers is a 503 naming the timeout', async () => {
      const { provisioner } = recordingProvisioner('test');
      provisioner.resetCredentials = never;
      const { db, clock, gateway, engine } = await setup(provisioner);
      const { grantIds } = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: new Date(clock.current.getTime() + HOUR),
      });
      await engine.tick();
      const credentials = new CredentialService({
        stores: accessStores(db),
        vault: new CredentialVault('a test key that is long enough to be used'),
        gateway,
        logger: mockServices.rootLogger({ level: 'none' }),
        now: clock.now,
      });
      const reset = credentials.reset(
        { userEntityRef: 'user:default/dana', isAdmin: false },
        grantIds[0],
      );
      await expect(reset).rejects.toThrow(ServiceUnavailableError);
      await expect(reset).rejects.toThrow(
        `Could not reset the credentials: ${TIMED_OUT}`,
      );
    });

    it('reconciliation: a listing that never answers is skipped, the timeout logged', async () => {
      const { provisioner } = recordingProvisioner('test', { observe: never });
      const { db, clock, gateway } = await setup(provisioner);
      const logger = mockServices.logger.mock();
      const reconciler = new Reconciler({
        stores: accessStores(db),
        gateway,
        logger,
        now: clock.now,
      });
      expect(await reconciler.run()).toEqual([]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          `Reconciliation could not observe 'test': ${TIMED_OUT}`,
        ),
      );
    });

    it('reconciliation: revoking found access again that never answers is reported with the timeout', async () => {
      let observing = false;
      let endedGrantId = '';
      const { provisioner } = recordingProvisioner('test', {
        overlap: 'independent',
        revoke: async () => (observing ? never() : undefined),
        observe: async () => [
          {
            resourceRef: 'resource:default/payments-db',
            permission: 'read',
            granteeRef: 'user:default/dana',
            grantId: endedGrantId,
          },
        ],
      });
      const { db, clock, gateway, engine } = await setup(provisioner);
      const ended = await seedApprovedRequest(db, {
        now: clock.now(),
        endsAt: new Date(clock.current.getTime() + HOUR),
      });
      endedGrantId = ended.grantIds[0];
      await engine.tick();
      clock.advance(HOUR);
      await engine.tick();
      expect((await grantRow(db, ended.grantIds[0])).state).toBe('expired');

      observing = true;
      const reconciler = new Reconciler({
        stores: accessStores(db),
        gateway,
        logger: mockServices.rootLogger({ level: 'none' }),
        now: clock.now,
      });
      const findings = await reconciler.run();
      expect(findings.map(f => f.kind)).toEqual(['still-present']);
      expect(findings[0].detail).toContain(
        `revoking it again failed: ${TIMED_OUT}`,
      );
    });
  });
});
