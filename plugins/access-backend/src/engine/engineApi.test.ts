import { createServiceFactory } from '@backstage/backend-plugin-api';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { AccessProvisioner } from '@jit-access/plugin-access-node';
import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import {
  provisionersModule,
  recordingProvisioner,
  until,
} from '../__testUtils__/engineFixtures';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const SANDBOX = { resourceRef: 'sandbox', permission: 'use' };
const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
const HOUR = 3600_000;

/** The test config with the engine on, and flows that allow extensions. */
function engineConfig(integrations: { sandbox: string; db: string }) {
  const flows = TEST_ACCESS_CONFIG.flows.map(flow => {
    if (flow.id === 'self-service') {
      return {
        ...flow,
        maxDuration: 'PT3H',
        extension: { maxExtensions: 2, requiresApproval: false },
      };
    }
    if (flow.id === 'owner-approval') {
      return {
        ...flow,
        extension: { maxExtensions: 1, requiresApproval: true },
      };
    }
    return flow;
  });
  return {
    ...TEST_ACCESS_CONFIG,
    engine: { enabled: true },
    credentials: { encryptionKey: 'a test key that is long enough to be used' },
    resources: TEST_ACCESS_CONFIG.resources.map(resource => {
      const integration: Record<string, string> = {
        sandbox: integrations.sandbox,
        'payments-db': integrations.db,
      };
      return {
        ...resource,
        integration: integration[resource.ref] ?? resource.integration,
      };
    }),
    flows,
  };
}

describe('the engine behind the API', () => {
  const databases = createAccessTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const start = async (provisioners: AccessProvisioner[]) => {
      const published: any[] = [];
      const signals = createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (signal: any) => {
            published.push(signal);
          },
        }),
      });
      const backend = await startAccessBackend({
        knex: await databases.init(databaseId),
        access: engineConfig({ sandbox: 'test', db: 'handoff' }),
        features: [provisionersModule(provisioners), signals as any],
      });
      const active = (user: string, id: string) =>
        until(
          async () => (await backend.as(user).get(`/requests/${id}`)).body,
          body => body.status === 'active',
        );
      return { ...backend, published, active };
    };

    it('grants a self-service request right after submission, and extends it without approval', async () => {
      const { provisioner, calls } = recordingProvisioner('test');
      const handoff = recordingProvisioner('handoff');
      const { as, active, published } = await start([
        provisioner,
        handoff.provisioner,
      ]);
      const submitted = await as('dana').post('/requests', {
        items: [SANDBOX],
      });
      const id = submitted.body.requests[0].id;
      const granted = await active('dana', id);
      expect(granted.items[0]).toMatchObject({ status: 'active' });
      expect(granted.extension).toEqual({
        used: 0,
        max: 2,
        requiresApproval: false,
        durations: ['PT1H'],
      });
      expect(granted.requireReason).toBe('none');
      const end = Date.parse(granted.endAt);
      expect(
        published.some(
          s =>
            s.channel === 'access:requests' &&
            s.message.requestId === id &&
            s.message.status === 'active' &&
            s.recipients.entityRef.includes('user:default/dana'),
        ),
      ).toBe(true);

      expect(
        (await as('sam').post(`/requests/${id}/extend`, { duration: 'PT1H' }))
          .status,
      ).toBe(404);
      const tooLong = await as('dana').post(`/requests/${id}/extend`, {
        duration: 'PT2H30M',
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toMatch(
        /^duration: flow 'self-service' allows at most PT3H in all; the latest end is /,
      );
      const neither = await as('dana').post(`/requests/${id}/extend`, {});
      expect(neither.status).toBe(400);

      const extended = await as('dana').post(`/requests/${id}/extend`, {
        duration: 'PT1H',
      });
      expect(extended.status).toBe(200);
      expect(Date.parse(extended.body.endAt)).toBe(end + HOUR);
      expect(extended.body.extension.used).toBe(1);
      expect(extended.body.items[0].expiresAt).toBe(extended.body.endAt);
      expect(
        calls.filter(c => c.action === 'extend').map(c => c.target.endsAt),
      ).toEqual([extended.body.endAt]);

      const second = await as('dana').post(`/requests/${id}/extend`, {
        endAt: new Date(end + HOUR + 60_000).toISOString(),
      });
      expect(second.status).toBe(200);
      const third = await as('dana').post(`/requests/${id}/extend`, {
        duration: 'PT1M',
      });
      expect(third.status).toBe(409);
      expect(third.body.error.message).toBe('No extensions left: 2 of 2 used');

      const details = await as('dana').get(`/requests/${id}`);
      expect(details.body.audit.map((e: any) => e.action)).toEqual(
        expect.arrayContaining(['auto-approve', 'granted', 'extend']),
      );
    });

    it('shows issued credentials once to the grantee, then only through a reset', async () => {
      const { provisioner, calls } = recordingProvisioner('test', {
        grant: async () => ({
          credentials: { user: 'jit_x', password: 'first' },
        }),
      });
      const handoff = recordingProvisioner('handoff');
      const { as, active } = await start([provisioner, handoff.provisioner]);
      const submitted = await as('lee').post('/requests', {
        items: [SANDBOX],
        granteeRef: 'dana',
      });
      const id = submitted.body.requests[0].id;
      const granted = await active('dana', id);
      const grantId = granted.items[0].id;
      expect(granted.items[0].credentialsReady).toBe(true);

      const byRequester = await as('lee').post(
        `/grants/${grantId}/credentials/reveal`,
      );
      expect(byRequester.status).toBe(403);
      expect(
        (await as('sam').post(`/grants/${grantId}/credentials/reveal`)).status,
      ).toBe(404);

      const shown = await as('dana').post(
        `/grants/${grantId}/credentials/reveal`,
      );
      expect(shown.status).toBe(200);
      expect(shown.body).toEqual({
        grantId,
        resourceRef: 'resource:default/sandbox',
        permission: 'use',
        credentials: { user: 'jit_x', password: 'first' },
      });
      const again = await as('dana').post(
        `/grants/${grantId}/credentials/reveal`,
      );
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(
        'The credentials were shown once already; reset them to see new ones',
      );
      const after = await as('dana').get(`/requests/${id}`);
      expect(after.body.items[0]).toMatchObject({ credentialsShown: true });
      expect(after.body.items[0].credentialsReady).toBeUndefined();
      expect(after.body.audit.map((e: any) => e.action)).toContain(
        'credentials-shown',
      );

      const reset = await as('dana').post(
        `/grants/${grantId}/credentials/reset`,
      );
      expect(reset.status).toBe(200);
      expect(reset.body.credentials.password).toMatch(/^new-/);
      expect(calls.filter(c => c.action === 'reset')).toHaveLength(1);
      expect(
        (await as('dana').post('/grants/not-a-uuid/credentials/reveal')).status,
      ).toBe(400);
    });

    it('hands manual work to the resource owners, and asks for approval to extend', async () => {
      const { provisioner } = recordingProvisioner('test');
      const handoff = recordingProvisioner('handoff', {
        grant: async () => ({
          fulfilment: { instructions: 'Add dana to the payments readers' },
        }),
        revoke: async () =>
          ({ fulfilment: { instructions: 'Remove dana' } } as any),
      });
      const { as, active } = await start([provisioner, handoff.provisioner]);
      const submitted = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: 'Investigate failed payouts in INC-42',
      });
      const id = submitted.body.requests[0].id;
      await as('lee').post(`/requests/${id}/approve`);

      const waiting = await until(
        async () => (await as('dana').get(`/requests/${id}`)).body,
        body => Boolean(body.items[0].fulfilmentTaskId),
      );
      expect(waiting).toMatchObject({
        status: 'granting',
        items: [{ status: 'granting' }],
      });
      const taskId = waiting.items[0].fulfilmentTaskId;
      const tasks = await as('lee').get('/tasks');
      expect(tasks.body.items).toEqual([
        expect.objectContaining({
          id: taskId,
          action: 'grant',
          state: 'open',
          instructions: 'Add dana to the payments readers',
          granteeRef: 'user:default/dana',
          resourceRef: 'resource:default/payments-db',
          permission: 'read',
          provisionerId: 'handoff',
        }),
      ]);
      expect((await as('sam').get('/tasks')).body.items).toEqual([]);
      expect((await as('sam').post(`/tasks/${taskId}/complete`)).status).toBe(
        403,
      );
      const done = await as('lee').post(`/tasks/${taskId}/complete`, {
        note: 'Added to payments_readers',
      });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({
        state: 'done',
        completedBy: 'user:default/lee',
        note: 'Added to payments_readers',
      });
      const twice = await as('lee').post(`/tasks/${taskId}/complete`);
      expect(twice.status).toBe(409);
      expect(twice.body.error.message).toBe(
        'The task is done; completed by user:default/lee',
      );
      const granted = await active('dana', id);
      expect(
        (await as('lee').get('/tasks?state=done')).body.items,
      ).toHaveLength(1);

      // An extension under this flow needs the owners again: it is a new request.
      const asked = await as('dana').post(`/requests/${id}/extend`, {
        duration: 'PT1H',
        justification: 'The investigation takes longer, INC-42',
      });
      expect(asked.status).toBe(200);
      expect(asked.body).toMatchObject({
        status: 'pending_approval',
        extendsRequestId: id,
        endAt: new Date(Date.parse(granted.endAt) + HOUR).toISOString(),
      });
      const pendingTwice = await as('dana').post(`/requests/${id}/extend`, {
        duration: 'PT1H',
        justification: 'The investigation takes longer, INC-42',
      });
      expect(pendingTwice.status).toBe(409);
      expect(
        (await as('dana').get(`/requests/${id}`)).body.extension.used,
      ).toBe(1);

      // Revoking hands the removal to the owners too, and calls off the pending extension.
      await as('dana').post(`/requests/${id}/revoke`, { reason: 'Done' });
      expect(
        (await as('dana').get(`/requests/${asked.body.id}`)).body,
      ).toMatchObject({
        status: 'cancelled',
        statusReason: 'The access it extends was revoked: Done',
      });
      const revoking = await until(
        async () => (await as('lee').get('/tasks')).body.items,
        items => items.some((t: any) => t.action === 'revoke'),
      );
      const removal = revoking.find((t: any) => t.action === 'revoke');
      await as('lee').post(`/tasks/${removal.id}/complete`);
      const revoked = await as('dana').get(`/requests/${id}`);
      expect(revoked.body).toMatchObject({
        status: 'revoked',
        statusReason: 'Done',
        items: [{ status: 'revoked' }],
      });
    });

    it('shows reconciliation findings to admins only', async () => {
      const { provisioner } = recordingProvisioner('test');
      const { as } = await start([
        provisioner,
        recordingProvisioner('handoff').provisioner,
      ]);
      expect((await as('dana').get('/admin/reconciliation')).status).toBe(403);
      const findings = await as('alex').get('/admin/reconciliation?limit=10');
      expect(findings.status).toBe(200);
      expect(findings.body).toEqual({ items: [] });
    });
  });
});
