import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { captureAccessProvisioners } from '@jit-access/plugin-access-node/testUtils';
import postgresModule, { accessModulePostgresProvisioner } from './index';

const postgres = {
  id: 'payments-postgres',
  databases: [
    {
      resource: 'payments-db',
      connection: {
        host: '127.0.0.1',
        user: 'jit_manager',
        database: 'payments',
      },
      permissions: { read: 'payments_readonly', write: 'payments_readwrite' },
    },
    {
      resource: 'orders-db',
      connection: {
        host: '127.0.0.1',
        user: 'jit_manager',
        database: 'orders',
      },
      permissions: { read: 'orders_readonly', admin: 'orders_owner' },
    },
  ],
};

describe('accessModulePostgresProvisioner', () => {
  it('is the default export', () => {
    expect(postgresModule).toBe(accessModulePostgresProvisioner);
  });

  it('adds the provisioner through the extension point', async () => {
    const { plugin, provisioners } = captureAccessProvisioners();
    const backend = await startTestBackend({
      features: [
        plugin,
        accessModulePostgresProvisioner,
        mockServices.rootConfig.factory({ data: { access: { postgres } } }),
      ],
    });
    try {
      expect(provisioners).toHaveLength(1);
      expect(provisioners[0]).toMatchObject({
        id: 'payments-postgres',
        title: 'PostgreSQL',
        overlap: 'independent',
        serves: { permissions: ['read', 'write', 'admin'] },
      });
      // From the catalog it accepts the databases its config names, no others.
      expect(provisioners[0].serves?.catalog).toEqual({
        resourceRefs: [
          'resource:default/payments-db',
          'resource:default/orders-db',
        ],
      });
      expect(typeof provisioners[0].observe).toBe('function');
      expect(typeof provisioners[0].extend).toBe('function');
      expect(typeof provisioners[0].resetCredentials).toBe('function');
    } finally {
      await backend.stop();
    }
  });

  it('closes its connection pools when the backend stops', async () => {
    const { plugin, provisioners } = captureAccessProvisioners();
    const backend = await startTestBackend({
      features: [
        plugin,
        accessModulePostgresProvisioner,
        mockServices.rootConfig.factory({ data: { access: { postgres } } }),
      ],
    });
    await backend.stop();
    const now = Date.now();
    await expect(
      provisioners[0].grant(
        {
          grantId: 'g1',
          requestId: 'r1',
          resourceRef: 'resource:default/payments-db',
          permission: 'read',
          granteeRef: 'user:default/dana',
          startsAt: new Date(now).toISOString(),
          endsAt: new Date(now + 60_000).toISOString(),
        },
        {
          signal: new AbortController().signal,
          logger: mockServices.logger.mock(),
          idempotencyKey: 'g1:grant',
        },
      ),
    ).rejects.toThrow('has been shut down');
  });

  it('adds nothing without access.postgres, and says so', async () => {
    const { plugin, provisioners } = captureAccessProvisioners();
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        plugin,
        accessModulePostgresProvisioner,
        logger.factory,
        mockServices.rootConfig.factory({ data: { access: {} } }),
      ],
    });
    try {
      expect(provisioners).toEqual([]);
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringContaining('No access.postgres configuration'),
      );
    } finally {
      await backend.stop();
    }
  });

  it('fails startup on invalid config, naming the field', async () => {
    const { plugin } = captureAccessProvisioners();
    await expect(
      startTestBackend({
        features: [
          plugin,
          accessModulePostgresProvisioner,
          mockServices.rootConfig.factory({
            data: {
              access: {
                postgres: {
                  databases: [{ ...postgres.databases[0], permissions: {} }],
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow('access.postgres.databases[0].permissions');
  });
});
