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

  /** The backend with a provisioner for every resource and the self-service flow changed. */
  async function sandboxBackend(
    databaseId: Parameters<typeof databases.init>[0],
    selfService: object,
  ) {
    const { provisioner } = recordingProvisioner('test');
    return startAccessBackendWithActions({
      knex: await databases.init(databaseId),
      access: {
        ...TEST_ACCESS_CONFIG,
        engine: { enabled: true },
        resources: TEST_ACCESS_CONFIG.resources.map(r => ({
          ...r,
          integration: 'test',
        })),
        flows: TEST_ACCESS_CONFIG.flows.map(f =>
          f.id === 'self-service' ? { ...f, ...selfService } : f,
        ),
      },
      features: [provisionersModule([provisioner])],
    });
  }

  it.each(databases.eachSupportedId())(
    'list it with its end, extend it and give it back (%p)',
    async databaseId => {
      const { invoke, as, stop } = await sandboxBackend(databaseId, {
        maxDuration: 'PT3H',
        extension: { maxExtensions: 1, requiresApproval: false },
        agents: { requests: 'allow' },
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

  /** Active access to the sandbox, asked for through the HTTP API (the flow grants it at once). */
  async function activeSandbox(
    databaseId: Parameters<typeof databases.init>[0],
    agents?: { requests: 'allow' | 'approval' | 'deny' },
  ) {
    const backend = await sandboxBackend(databaseId, {
      maxDuration: 'PT5H',
      extension: { maxExtensions: 2, requiresApproval: false },
      ...(agents ? { agents } : {}),
    });
    const created = await backend.as('dana').post('/requests', {
      items: [SANDBOX],
    });
    const id: string = created.body.requests[0].id;
    await until(
      async () => (await backend.as('dana').get(`/requests/${id}`)).body,
      body => body.status === 'active',
    );
    return { ...backend, id };
  }

  it.each(databases.eachSupportedId())(
    'an extension an assistant asks for waits for a person under the default policy, even where the flow extends at once (%p)',
    async databaseId => {
      const { invoke, as, stop, id } = await activeSandbox(databaseId);
      const before = (await as('dana').get(`/requests/${id}`)).body.endAt;

      const { request } = await invoke('dana', 'extend-access', {
        requestId: id,
        duration: 'PT1H',
      });
      expect(request).toMatchObject({
        status: 'pending_approval',
        channel: 'action',
      });
      expect(request.id).not.toBe(id);
      const child = (await as('dana').get(`/requests/${request.id}`)).body;
      expect(child.extendsRequestId).toBe(id);
      expect(child.channel).toBe('action');
      // The sandbox's owners decide; nobody approves their own.
      expect(child.stageCount).toBe(1);
      expect(child.audit[0].details).toMatchObject({ channel: 'action' });
      // The access itself has not moved.
      expect((await as('dana').get(`/requests/${id}`)).body.endAt).toBe(before);

      // The same ask through the portal's API is extended at once, as the flow says.
      const other = await as('dana').post(`/requests/${id}/extend`, {
        duration: 'PT1H',
      });
      expect(other.status).toBe(200);
      expect(other.body.id).toBe(id);
      expect(Date.parse(other.body.endAt) - Date.parse(before)).toBe(
        60 * 60 * 1000,
      );
      await stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'a flow that accepts nothing from assistants refuses their extensions too (%p)',
    async databaseId => {
      const { invoke, as, stop, id } = await activeSandbox(databaseId, {
        requests: 'deny',
      });
      await expect(
        invoke('dana', 'extend-access', { requestId: id, duration: 'PT1H' }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringMatching(
          /does not accept requests from AI assistants/,
        ),
      });
      const shown = (await as('dana').get(`/requests/${id}`)).body;
      expect(shown.extension.used).toBe(0);
      expect(shown.status).toBe('active');
      await stop();
    },
  );
});
