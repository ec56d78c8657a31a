import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { accessProvisionersExtensionPoint } from '@jit-access/plugin-access-node';
import request from 'supertest';
import { createAccessTestDatabases } from './__testUtils__/testDatabases';
import { accessPlugin } from './plugin';

const provisionerModule = (moduleId: string, provisionerId: string) =>
  createBackendModule({
    pluginId: 'access',
    moduleId,
    register(reg) {
      reg.registerInit({
        deps: { provisioners: accessProvisionersExtensionPoint },
        async init({ provisioners }) {
          provisioners.addProvisioner({
            id: provisionerId,
            grant: async () => ({}),
            revoke: async () => {},
          });
        },
      });
    },
  });

describe('access backend plugin', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    'answers health without credentials once its database is migrated, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [accessPlugin, mockServices.database.factory({ knex })],
      });

      const res = await request(server)
        .get('/api/access/health')
        .set('authorization', mockCredentials.none.header());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
      expect(await knex.schema.hasTable('access_requests')).toBe(true);
    },
  );

  it('tells a signed-in user who the backend sees', async () => {
    const { server } = await startTestBackend({
      features: [
        accessPlugin,
        mockServices.userInfo.mock({
          getUserInfo: async () => ({
            userEntityRef: 'user:default/dana',
            ownershipEntityRefs: [
              'user:default/dana',
              'group:default/payments',
            ],
          }),
        }).factory,
      ],
    });

    const res = await request(server)
      .get('/api/access/me')
      .set('authorization', mockCredentials.user.header('user:default/dana'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userEntityRef: 'user:default/dana',
      ownershipEntityRefs: ['user:default/dana', 'group:default/payments'],
      isAdmin: true,
    });
  });

  it('refuses callers without a user token', async () => {
    const { server } = await startTestBackend({ features: [accessPlugin] });

    const anonymous = await request(server)
      .get('/api/access/me')
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);

    const service = await request(server)
      .get('/api/access/me')
      .set('authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
    expect(service.body.error.name).toBe('NotAllowedError');
  });

  it('refuses two provisioners with the same id', async () => {
    await expect(
      startTestBackend({
        features: [
          accessPlugin,
          provisionerModule('first', 'manual'),
          provisionerModule('second', 'manual'),
        ],
      }),
    ).rejects.toThrow(/Two access provisioners have the id 'manual'/);
  });
});
