import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AccessResource } from '@jit-access/plugin-access-common';
import { AccessProvisioner } from '@jit-access/plugin-access-node';
import { ResourceCatalog } from './ResourceCatalog';

function resourceEntity(
  name: string,
  opts: {
    permissions?: string;
    owner?: string;
    type?: string;
    tags?: string[];
    integration?: string;
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      title: `${name} title`,
      tags: opts.tags,
      annotations: {
        'jit-access.io/integration': opts.integration ?? 'manual',
        ...(opts.permissions !== undefined
          ? { 'jit-access.io/permissions': opts.permissions }
          : { 'jit-access.io/permissions': 'read,write' }),
      },
    },
    spec: { type: opts.type ?? 'database', owner: opts.owner ?? 'payments' },
  };
}

const configured: AccessResource = {
  ref: 'resource:default/admin-console',
  title: 'Admin console',
  type: 'app',
  integration: 'manual',
  permissions: ['user', 'admin'],
  owners: ['group:default/security'],
  tags: ['sensitive'],
  source: 'config',
};

function makeCatalog(
  entities: Entity[],
  extra: Partial<ConstructorParameters<typeof ResourceCatalog>[0]> = {},
) {
  return new ResourceCatalog({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    configResources: [configured],
    // The operator accepts the test entities; what is accepted is tested in trust.test.ts.
    trust: {
      catalogResources: [
        { integration: 'manual', namespaces: ['default'] },
        { integration: 'k8s', namespaces: ['default'] },
      ],
    },
    ...extra,
  });
}

describe('ResourceCatalog', () => {
  const entities = [
    resourceEntity('payments-db', {
      tags: ['pii'],
      permissions: 'read, write ,admin,read',
    }),
    resourceEntity('staging-cluster', {
      type: 'kubernetes-cluster',
      owner: 'group:default/platform',
      integration: 'k8s',
    }),
    resourceEntity('no-permissions', { permissions: '' }),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'plain-service', namespace: 'default' },
      spec: { type: 'service', owner: 'payments' },
    },
  ];

  it('lists annotated entities and configured resources, in ref order', async () => {
    const resources = await makeCatalog(entities).list();

    expect(resources.map(r => r.ref)).toEqual([
      'resource:default/admin-console',
      'resource:default/payments-db',
      'resource:default/staging-cluster',
    ]);
    expect(resources[1]).toEqual({
      ref: 'resource:default/payments-db',
      title: 'payments-db title',
      type: 'database',
      description: undefined,
      integration: 'manual',
      permissions: ['read', 'write', 'admin'],
      owners: ['group:default/payments'],
      tags: ['pii'],
      source: 'catalog',
    });
  });

  it('filters by text, type, permission, integration and owner', async () => {
    const catalog = makeCatalog(entities);
    const refs = async (query: object) =>
      (await catalog.search({ limit: 50, ...query })).items.map(r => r.ref);

    expect(await refs({ q: 'PII' })).toEqual(['resource:default/payments-db']);
    expect(await refs({ type: 'kubernetes-cluster' })).toEqual([
      'resource:default/staging-cluster',
    ]);
    expect(await refs({ permission: 'admin' })).toEqual([
      'resource:default/admin-console',
      'resource:default/payments-db',
    ]);
    expect(await refs({ integration: 'k8s' })).toEqual([
      'resource:default/staging-cluster',
    ]);
    expect(await refs({ owner: 'security' })).toEqual([
      'resource:default/admin-console',
    ]);
    expect(await refs({ owner: 'group:default/nobody' })).toEqual([]);
  });

  it('pages with an opaque cursor until the end', async () => {
    const many = Array.from({ length: 7 }, (_, i) => resourceEntity(`db-${i}`));
    const catalog = makeCatalog(many);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await catalog.search({ limit: 3, cursor });
      seen.push(...page.items.map(r => r.ref));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);

    expect(pages).toBe(3);
    expect(seen).toEqual([
      'resource:default/admin-console',
      ...Array.from({ length: 7 }, (_, i) => `resource:default/db-${i}`),
    ]);
  });

  it('refuses a cursor it did not issue and an owner that is not a ref', async () => {
    const catalog = makeCatalog(entities);
    await expect(
      catalog.search({ limit: 5, cursor: 'garbage' }),
    ).rejects.toThrow(/cursor is not one this API issued/);
    await expect(
      catalog.search({ limit: 5, owner: 'a:b:c/d' }),
    ).rejects.toThrow(/owner: 'a:b:c\/d' is not an entity ref/);
  });

  it('serves listings from a snapshot no older than maxAge, and lookups fresh', async () => {
    let now = 0;
    const catalogService = catalogServiceMock.mock({
      getEntities: jest.fn(async () => ({ items: entities })),
      getEntitiesByRefs: jest.fn(async ({ entityRefs }) => ({
        items: entityRefs.map(ref =>
          entities.find(e => `resource:default/${e.metadata.name}` === ref),
        ),
      })),
    });
    const catalog = new ResourceCatalog({
      catalog: catalogService,
      auth: mockServices.auth(),
      configResources: [configured],
      maxAgeMs: 1000,
      now: () => now,
    });

    await Promise.all([catalog.list(), catalog.list()]);
    now = 999;
    await catalog.list();
    expect(catalogService.getEntities).toHaveBeenCalledTimes(1);
    now = 1000;
    await catalog.list();
    expect(catalogService.getEntities).toHaveBeenCalledTimes(2);

    const found = await catalog.getByRefs([
      'resource:default/payments-db',
      'resource:default/admin-console',
      'resource:default/missing',
    ]);
    expect([...found.keys()].sort()).toEqual([
      'resource:default/admin-console',
      'resource:default/payments-db',
    ]);
    expect(catalogService.getEntitiesByRefs).toHaveBeenCalledWith(
      {
        entityRefs: [
          'resource:default/payments-db',
          'resource:default/missing',
        ],
      },
      expect.anything(),
    );
  });

  describe('catalog entities nobody accepted', () => {
    const planted = resourceEntity('planted', {
      integration: 'manual',
      tags: ['self-service'],
      owner: 'group:default/attackers',
    });
    const manual: AccessProvisioner = {
      id: 'manual',
      serves: { catalog: { resourceRefs: ['resource:default/payments-*'] } },
      grant: async () => {},
      revoke: async () => {},
    };

    it('are kept out of listings and lookups for requests, and shown to admins with the reason', async () => {
      const logger = mockServices.logger.mock();
      const catalog = makeCatalog([planted, resourceEntity('payments-db')], {
        provisioners: new Map([['manual', manual]]),
        trust: { catalogResources: [] },
        logger,
      });

      expect((await catalog.list()).map(r => r.ref)).toEqual([
        'resource:default/admin-console',
        'resource:default/payments-db',
      ]);
      const page = await catalog.unrequestable({ limit: 10 });
      expect(page.items).toEqual([
        expect.objectContaining({
          ref: 'resource:default/planted',
          integration: 'manual',
          reason: "provisioner 'manual' does not accept this catalog entity",
        }),
      ]);
      expect(logger.warn).toHaveBeenCalledTimes(1);

      await expect(
        catalog.getRequestable([
          'resource:default/planted',
          'resource:default/payments-db',
        ]),
      ).rejects.toThrow(
        /^items: resource:default\/planted is not requestable: provisioner 'manual' does not accept this catalog entity$/,
      );
      const requestable = await catalog.getRequestable([
        'resource:default/payments-db',
        'resource:default/admin-console',
      ]);
      expect([...requestable.keys()].sort()).toEqual([
        'resource:default/admin-console',
        'resource:default/payments-db',
      ]);
      // The engine still learns of it (to revoke what exists), with the reason.
      const all = await catalog.getByRefs(['resource:default/planted']);
      expect(all.get('resource:default/planted')?.unrequestableReason).toMatch(
        /does not accept this catalog entity/,
      );
    });

    it('do not hide a resource its provisioner offers itself', async () => {
      const catalog = makeCatalog([planted], {
        provisioners: new Map([['manual', manual]]),
        trust: { catalogResources: [] },
      });
      catalog.setDiscovered([
        {
          ref: 'resource:default/planted',
          title: 'Offered',
          type: 'app',
          integration: 'manual',
          permissions: ['use'],
          owners: [],
          tags: [],
          source: 'provisioner',
        },
      ]);
      const found = await catalog.getRequestable(['resource:default/planted']);
      expect(found.get('resource:default/planted')).toMatchObject({
        title: 'Offered',
        source: 'provisioner',
      });
      expect((await catalog.list()).map(r => [r.ref, r.source])).toEqual([
        ['resource:default/admin-console', 'config'],
        ['resource:default/planted', 'provisioner'],
      ]);
    });
  });
});
