import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import { startAccessBackendWithActions } from '../__testUtils__/accessActions';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';

const SANDBOX = { resourceRef: 'sandbox', permission: 'use' };
const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
const JUSTIFICATION = 'Investigate failed payouts in INC-42';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** The test config with the self-service flow's agents policy (and more) changed. */
const withSelfService = (changes: object) => ({
  ...TEST_ACCESS_CONFIG,
  flows: TEST_ACCESS_CONFIG.flows.map(f =>
    f.id === 'self-service' ? { ...f, ...changes } : f,
  ),
});

/** A valid input for each action, so that only who calls decides. */
const INPUTS: Record<string, object> = {
  'suggest-access': { need: 'payments database' },
  'search-resources': {},
  'list-bundles': {},
  'match-flows': { items: [SANDBOX] },
  'request-access': { items: [SANDBOX] },
  'list-my-requests': {},
  'get-request': { requestId: UNKNOWN_ID },
  'list-my-access': {},
  'cancel-request': { requestId: UNKNOWN_ID },
  'extend-access': { requestId: UNKNOWN_ID, duration: 'PT1H' },
  'revoke-my-access': { requestId: UNKNOWN_ID },
};

describe('the access actions', () => {
  it('are registered with honest attributes, and none decides a request', async () => {
    const { registry, stop } = await startAccessBackendWithActions();
    const { actions } = await registry.list();
    expect(actions.map(a => a.name).sort()).toEqual(Object.keys(INPUTS).sort());
    const attributes = Object.fromEntries(
      actions.map(a => [a.name, a.attributes]),
    );
    for (const name of [
      'suggest-access',
      'search-resources',
      'list-bundles',
      'match-flows',
      'list-my-requests',
      'get-request',
      'list-my-access',
    ]) {
      expect(attributes[name]).toEqual({
        readOnly: true,
        destructive: false,
        idempotent: true,
      });
    }
    for (const name of ['cancel-request', 'revoke-my-access']) {
      expect(attributes[name]).toMatchObject({
        readOnly: false,
        destructive: true,
      });
    }
    for (const name of ['request-access', 'extend-access']) {
      expect(attributes[name]).toMatchObject({
        readOnly: false,
        destructive: false,
      });
    }
    expect(actions.filter(a => /approve|reject|decide/.test(a.name))).toEqual(
      [],
    );
    await stop();
  });

  it('refuse a service calling without a user', async () => {
    const { invoke, stop } = await startAccessBackendWithActions();
    for (const [name, input] of Object.entries(INPUTS)) {
      await expect(invoke('service', name, input)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining("call it with a user's credentials"),
      });
    }
    await stop();
  });
});

describe('the access actions, as a user', () => {
  const databases = createAccessTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('suggests the same access to the portal’s box as to an assistant; only approval follows the channel', async () => {
      const { invoke, as, stop } = await startAccessBackendWithActions({
        knex: await databases.init(databaseId),
      });
      const need = 'sandbox or payments database';
      const { suggestions } = await invoke('dana', 'suggest-access', {
        need,
        limit: 10,
      });
      const box = await as('dana')
        .get(`/suggestions?q=${encodeURIComponent(need)}&limit=10`)
        .set('x-access-channel', 'portal');
      expect(box.status).toBe(200);
      const ranked = (items: any[]) =>
        items.map(({ requiresApproval, ...rest }) => rest);
      expect(suggestions.length).toBeGreaterThan(1);
      expect(ranked(box.body.items)).toEqual(ranked(suggestions));
      // The self-service sandbox is granted at once in the portal; an assistant's request waits.
      const sandbox = (items: any[]) =>
        items.find(item => item.resourceRef === 'resource:default/sandbox');
      expect(sandbox(box.body.items).requiresApproval).toBe(false);
      expect(sandbox(suggestions).requiresApproval).toBe(true);
      await stop();
    });

    it('find what to request: suggestions, resources, bundles and flows', async () => {
      const { invoke, stop } = await startAccessBackendWithActions({
        knex: await databases.init(databaseId),
      });
      const { suggestions } = await invoke('dana', 'suggest-access', {
        need: 'read the payments database to debug failed payouts',
      });
      expect(suggestions[0]).toMatchObject({
        kind: 'resource',
        resourceRef: 'resource:default/payments-db',
        permission: 'read',
        flowId: 'owner-approval',
        duration: 'PT1H',
        requiresApproval: true,
      });

      const found = await invoke('dana', 'search-resources', {
        query: 'sand',
      });
      expect(found.resources.map((r: any) => r.ref)).toEqual([
        'resource:default/sandbox',
      ]);
      const { bundles } = await invoke('dana', 'list-bundles');
      expect(bundles.map((b: any) => b.id)).toEqual(['payments-oncall']);

      const matched = await invoke('dana', 'match-flows', {
        items: [
          SANDBOX,
          DB_READ,
          { resourceRef: 'warehouse', permission: 'write' },
        ],
      });
      expect(matched.flows.map((f: any) => [f.id, f.requiresApproval])).toEqual(
        [
          ['self-service', true],
          ['owner-approval', true],
        ],
      );
      expect(matched.flows[1].justification).toEqual({
        required: true,
        minLength: 10,
      });
      expect(matched.uncovered).toEqual([
        expect.objectContaining({ permission: 'write' }),
      ]);
      await stop();
    });

    it('request as the user: an automatic flow waits for the owners, recorded as an action', async () => {
      const { invoke, as, stop } = await startAccessBackendWithActions({
        knex: await databases.init(databaseId),
      });
      const { requests } = await invoke('dana', 'request-access', {
        items: [SANDBOX],
      });
      expect(requests).toEqual([
        expect.objectContaining({
          status: 'pending_approval',
          flowId: 'self-service',
          channel: 'action',
          requesterRef: 'user:default/dana',
          waitingFor: ['user:default/alex'],
          link: `/access/requests/${requests[0].id}`,
        }),
      ]);
      const id = requests[0].id;

      // The request and its audit trail say where it was made, to the API and the actions alike.
      const shown = await as('dana').get(`/requests/${id}`);
      expect(shown.body.channel).toBe('action');
      expect(shown.body.stageCount).toBe(1);
      expect(shown.body.audit[0]).toMatchObject({
        action: 'submit',
        details: { channel: 'action' },
      });
      const { request } = await invoke('dana', 'get-request', {
        requestId: id,
      });
      expect(request.audit[0]).toMatchObject({
        action: 'submit',
        channel: 'action',
      });

      // Only people decide: the owner approves in the portal or the API.
      const approved = await as('alex').post(`/requests/${id}/approve`);
      expect(approved.status).toBe(200);
      expect(approved.body.status).not.toBe('pending_approval');
      await stop();
    });

    it('request through agents.approvers, never approved by the requester', async () => {
      const { invoke, stop } = await startAccessBackendWithActions({
        knex: await databases.init(databaseId),
        access: withSelfService({
          approval: { allowSelfApproval: true },
          agents: { approvers: ['group:security'] },
        }),
      });
      const { requests } = await invoke('riley', 'request-access', {
        items: [SANDBOX],
      });
      // riley is in security too, and the flow allows self-approval: not for this request.
      expect(requests[0].waitingFor).toEqual(['user:default/pat']);
      await stop();

      const alone = await startAccessBackendWithActions({
        knex: await databases.init(databaseId),
        access: withSelfService({ approval: { allowSelfApproval: true } }),
      });
      // alex alone owns the sandbox (platform): nobody else could approve.
      await expect(
        alone.invoke('alex', 'request-access', { items: [SANDBOX] }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('besides you'),
      });
      await alone.stop();
    });

    it('follow a flow that allows assistants, and refuse under one that denies them', async () => {
      const allowing = await startAccessBackendWithActions({
        knex: await databases.init(databaseId),
        access: withSelfService({ agents: { requests: 'allow' } }),
      });
      const { requests } = await allowing.invoke('dana', 'request-access', {
        items: [SANDBOX],
      });
      expect(requests[0].status).not.toBe('pending_approval');
      await allowing.stop();

      const denying = await startAccessBackendWithActions({
        knex: await databases.init(databaseId),
        access: withSelfService({ agents: { requests: 'deny' } }),
      });
      await expect(
        denying.invoke('dana', 'request-access', { items: [SANDBOX] }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "Flow 'self-service' (Self-service) does not accept requests from AI assistants; request this access in the portal",
      });
      // The portal and the API are not assistants.
      const viaApi = await denying.as('dana').post('/requests', {
        items: [SANDBOX],
      });
      expect(viaApi.status).toBe(201);
      expect(viaApi.body.requests[0].channel).toBe('api');
      await denying.stop();
    });

    it('keep the flow’s rules: justification, and a flow with stages keeps them', async () => {
      const { invoke, stop } = await startAccessBackendWithActions({
        knex: await databases.init(databaseId),
      });
      await expect(
        invoke('dana', 'request-access', { items: [DB_READ] }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          "justification: flow 'owner-approval' requires a justification",
      });
      const { requests } = await invoke('dana', 'request-access', {
        items: [DB_READ],
        duration: 'PT4H',
        justification: JUSTIFICATION,
      });
      expect(requests[0]).toMatchObject({
        status: 'pending_approval',
        duration: 'PT4H',
        waitingFor: ['user:default/lee'],
      });
      // dana is in payments, the owners, too: not one who decides her own request.
      const shown = await invoke('lee', 'get-request', {
        requestId: requests[0].id,
      });
      expect(shown.request.status).toBe('pending_approval');
      const bundle = await invoke('dana', 'request-access', {
        bundleId: 'payments-oncall',
        justification: JUSTIFICATION,
      });
      expect(bundle.requests.map((r: any) => r.flowId).sort()).toEqual([
        'owner-approval',
        'self-service',
      ]);
      await stop();
    });

    it('list, read and cancel the user’s own requests', async () => {
      const { invoke, stop } = await startAccessBackendWithActions({
        knex: await databases.init(databaseId),
      });
      const { requests } = await invoke('dana', 'request-access', {
        items: [SANDBOX],
      });
      const id = requests[0].id;
      const mine = await invoke('dana', 'list-my-requests', {
        status: ['pending_approval'],
      });
      expect(mine.requests.map((r: any) => r.id)).toEqual([id]);
      expect((await invoke('sam', 'list-my-requests')).requests).toEqual([]);
      await expect(
        invoke('sam', 'get-request', { requestId: id }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(
        invoke('sam', 'cancel-request', { requestId: id }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });

      const { request } = await invoke('dana', 'cancel-request', {
        requestId: id,
        reason: 'Found another way',
      });
      expect(request).toMatchObject({ id, status: 'cancelled' });
      await stop();
    });
  });
});

describe('the channel of a request through the HTTP API', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    'is the portal when its client says so, else the API (%p)',
    async databaseId => {
      const { as, stop } = await startAccessBackend({
        knex: await databases.init(databaseId),
      });
      const send = (header?: string) => {
        const req = as('dana').post('/requests', { items: [SANDBOX] });
        return header ? req.set('X-Access-Channel', header) : req;
      };
      const portal = await send('portal');
      const api = await send();
      // A header cannot claim an assistant's channel.
      const claimed = await send('action');
      expect(
        [portal, api, claimed].map(r => r.body.requests[0].channel),
      ).toEqual(['portal', 'api', 'api']);
      const shown = await as('dana').get(
        `/requests/${portal.body.requests[0].id}`,
      );
      expect(shown.body.audit[0].details).toEqual({ channel: 'portal' });
      await stop();
    },
  );
});
