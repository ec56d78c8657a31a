import { Entity } from '@backstage/catalog-model';
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

jest.setTimeout(60_000);

/** A Resource entity as anyone who can register a catalog location can write it. */
function resourceEntity(
  name: string,
  options: {
    integration: string;
    permissions: string;
    owner: string;
    type: string;
    tags?: string[];
    namespace?: string;
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      tags: options.tags ?? [],
      annotations: {
        'jit-access.io/integration': options.integration,
        'jit-access.io/permissions': options.permissions,
      },
    },
    spec: { type: options.type, owner: options.owner },
  };
}

// The attacker's entity: it names the manual and the webhook provisioner's ids, the
// permission it likes, an owner of its choosing and the tag the automatic flow matches.
const PLANTED = [
  resourceEntity('prod-root', {
    integration: 'manual',
    permissions: 'admin',
    owner: 'user:default/dana',
    type: 'sandbox',
    tags: ['self-service'],
  }),
  resourceEntity('prod-hooks', {
    integration: 'hooks',
    permissions: 'admin',
    owner: 'user:default/dana',
    type: 'sandbox',
    tags: ['self-service'],
  }),
];

// What the operators did accept: an entity each provisioner's config names.
const ACCEPTED = [
  resourceEntity('staging-cluster', {
    integration: 'manual',
    permissions: 'view,edit',
    owner: 'group:default/platform',
    type: 'database',
  }),
  resourceEntity('team-sandbox', {
    integration: 'hooks',
    permissions: 'use',
    owner: 'group:default/platform',
    type: 'sandbox',
    tags: ['self-service'],
    namespace: 'platform',
  }),
];

/** The test config with the engine on (a granted request reaches its provisioner). */
function config(flowChanges: object = {}) {
  return {
    ...TEST_ACCESS_CONFIG,
    engine: { enabled: true },
    credentials: { encryptionKey: 'a test key that is long enough to be used' },
    flows: TEST_ACCESS_CONFIG.flows.map(flow =>
      flow.id === 'self-service' ? { ...flow, ...flowChanges } : flow,
    ),
  };
}

describe('catalog entities and the provisioners they name', () => {
  // As the manual and webhook modules declare them from `accepts` in their config.
  const start = async (flowChanges: object = {}) => {
    const manual = recordingProvisioner('manual');
    const hooks = recordingProvisioner('hooks');
    const provisioners: AccessProvisioner[] = [
      {
        ...manual.provisioner,
        serves: {
          catalog: { resourceRefs: ['resource:default/staging-cluster'] },
        },
      },
      {
        ...hooks.provisioner,
        serves: { catalog: { namespaces: ['platform'] } },
      },
    ];
    const backend = await startAccessBackend({
      access: config(flowChanges),
      entities: [...PLANTED, ...ACCEPTED],
      features: [provisionersModule(provisioners)],
    });
    return { backend, calls: () => [...manual.calls, ...hooks.calls] };
  };

  it('refuses a planted entity whose provisioner does not accept it, says why, and never calls the provisioner', async () => {
    const { backend, calls } = await start();
    const dana = backend.as('dana');

    for (const [ref, provisioner] of [
      ['resource:default/prod-root', 'manual'],
      ['resource:default/prod-hooks', 'hooks'],
    ]) {
      const res = await dana.post('/requests', {
        items: [{ resourceRef: ref, permission: 'admin' }],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        `items: ${ref} is not requestable: provisioner '${provisioner}' does not accept this catalog entity`,
      );
      const match = await dana.post('/flows/match', {
        items: [{ resourceRef: ref, permission: 'admin' }],
      });
      expect(match.status).toBe(400);
    }

    // Not offered to requesters...
    const listed = await dana.get('/resources?limit=100');
    expect(listed.body.items.map((r: { ref: string }) => r.ref)).not.toEqual(
      expect.arrayContaining(['resource:default/prod-root']),
    );
    expect(listed.body.items.map((r: { ref: string }) => r.ref)).not.toEqual(
      expect.arrayContaining(['resource:default/prod-hooks']),
    );
    // ...but shown to admins, with the reason.
    const admin = await backend
      .as('alex')
      .get('/admin/resources/unrequestable');
    expect(admin.status).toBe(200);
    expect(admin.body.items).toEqual([
      expect.objectContaining({
        ref: 'resource:default/prod-hooks',
        integration: 'hooks',
        owners: ['user:default/dana'],
        reason: "provisioner 'hooks' does not accept this catalog entity",
      }),
      expect.objectContaining({
        ref: 'resource:default/prod-root',
        integration: 'manual',
        reason: "provisioner 'manual' does not accept this catalog entity",
      }),
    ]);
    expect((await dana.get('/admin/resources/unrequestable')).status).toBe(403);

    // The engine runs (a config resource is granted through the same automatic flow), and
    // nothing ever reaches a provisioner for the planted entities.
    const sandbox = await dana.post('/requests', {
      items: [{ resourceRef: 'sandbox', permission: 'use' }],
    });
    expect(sandbox.status).toBe(201);
    expect(sandbox.body.requests[0].status).toBe('granting');
    const id = sandbox.body.requests[0].id;
    await until(
      async () => (await dana.get(`/requests/${id}`)).body.status,
      status => status === 'active',
    );
    expect(calls().filter(c => c.target.resourceRef.includes('prod-'))).toEqual(
      [],
    );
    await backend.stop();
  });

  it('lets an accepted catalog entity be requested through a flow with approval', async () => {
    const { backend } = await start();
    const res = await backend.as('dana').post('/requests', {
      items: [{ resourceRef: 'staging-cluster', permission: 'view' }],
      justification: 'Check the staging rollout',
    });
    expect(res.status).toBe(201);
    expect(res.body.requests[0]).toMatchObject({
      flowId: 'owner-approval',
      status: 'pending_approval',
    });
    await backend.stop();
  });

  it('matches catalog entities in automatic flows only when the flow allows it', async () => {
    const closed = await start();
    const refused = await closed.backend.as('dana').post('/requests', {
      items: [
        { resourceRef: 'resource:platform/team-sandbox', permission: 'use' },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(
      'items: no access flow covers use on resource:platform/team-sandbox: the flows that would approve it automatically do not match catalog resources (allowCatalogResources)',
    );
    await closed.backend.stop();

    const open = await start({ allowCatalogResources: true });
    const dana = open.backend.as('dana');
    const granted = await dana.post('/requests', {
      items: [
        { resourceRef: 'resource:platform/team-sandbox', permission: 'use' },
      ],
    });
    expect(granted.status).toBe(201);
    const id = granted.body.requests[0].id;
    await until(
      async () => (await dana.get(`/requests/${id}`)).body.status,
      status => status === 'active',
    );
    expect(open.calls().map(c => [c.action, c.target.resourceRef])).toEqual([
      ['grant', 'resource:platform/team-sandbox'],
    ]);
    await open.backend.stop();
  });
});
