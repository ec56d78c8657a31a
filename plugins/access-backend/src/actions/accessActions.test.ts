import { TEST_ACCESS_CONFIG } from '../__testUtils__/accessBackend';
import { startAccessBackendWithActions } from '../__testUtils__/accessActions';
import {
  provisionersModule,
  recordingProvisioner,
  until,
} from '../__testUtils__/engineFixtures';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';

const SANDBOX = { resourceRef: 'sandbox', permission: 'use' };

describe('the actions on the access a user holds', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    'list it with its end, extend it and give it back (%p)',
    async databaseId => {
      const { provisioner } = recordingProvisioner('test');
      const { invoke, as, stop } = await startAccessBackendWithActions({
        knex: await databases.init(databaseId),
        access: {
          ...TEST_ACCESS_CONFIG,
          engine: { enabled: true },
          resources: TEST_ACCESS_CONFIG.resources.map(r => ({
            ...r,
            integration: 'test',
          })),
          flows: TEST_ACCESS_CONFIG.flows.map(f =>
            f.id === 'self-service'
              ? {
                  ...f,
                  maxDuration: 'PT3H',
                  extension: { maxExtensions: 1, requiresApproval: false },
                  agents: { requests: 'allow' },
                }
              : f,
          ),
        },
        features: [provisionersModule([provisioner])],
      });
      const { requests } = await invoke('dana', 'request-access', {
        items: [SANDBOX],
      });
      const id: string = requests[0].id;
      await until(
        async () => (await as('dana').get(`/requests/${id}`)).body,
        body => body.status === 'active',
      );

      const { access } = await invoke('dana', 'list-my-access');
      expect(access).toEqual([
        expect.objectContaining({
          requestId: id,
          resourceRef: 'resource:default/sandbox',
          permission: 'use',
          expiresAt: expect.any(String),
          extensionsLeft: 1,
          link: `/access/requests/${id}`,
        }),
      ]);
      expect((await invoke('sam', 'list-my-access')).access).toEqual([]);

      const before = Date.parse(access[0].expiresAt);
      const extended = await invoke('dana', 'extend-access', {
        requestId: id,
        duration: 'PT1H',
      });
      expect(extended.request.status).toBe('active');
      const [item] = (await invoke('dana', 'list-my-access')).access;
      expect(Date.parse(item.expiresAt) - before).toBe(60 * 60 * 1000);
      expect(item.extensionsLeft).toBe(0);

      // Not someone else's access, admin or not.
      await expect(
        invoke('alex', 'revoke-my-access', { requestId: id }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      const revoked = await invoke('dana', 'revoke-my-access', {
        requestId: id,
        reason: 'Done debugging',
      });
      expect(revoked.request.status).toMatch(/^(revoking|revoked)$/);
      await stop();
    },
  );
});
