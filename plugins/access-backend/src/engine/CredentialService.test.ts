import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import {
  grantRow,
  provisionersModule,
  recordingProvisioner,
  until,
} from '../__testUtils__/engineFixtures';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const KEY = 'the key every instance should share, 32+';
const OTHER_KEY = 'a different key on a misconfigured instance';

/** The test config with sandbox granted by the 'test' provisioner, sealed with `encryptionKey`. */
function instanceConfig(encryptionKey: string, engine: boolean) {
  return {
    ...TEST_ACCESS_CONFIG,
    engine: { enabled: engine },
    credentials: { encryptionKey },
    resources: TEST_ACCESS_CONFIG.resources.map(resource =>
      resource.ref === 'sandbox'
        ? { ...resource, integration: 'test' }
        : resource,
    ),
  };
}

describe('access details on two instances over one database', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    'a reveal on an instance with another key erases nothing and records nothing, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { provisioner } = recordingProvisioner('test', {
        grant: async () => ({
          credentials: { user: 'jit_dana', password: 'first' },
        }),
      });
      // The instance that grants (and seals with KEY), and one configured with another key.
      const sealing = await startAccessBackend({
        knex,
        access: instanceConfig(KEY, true),
        features: [provisionersModule([provisioner])],
      });
      const other = await startAccessBackend({
        knex,
        access: instanceConfig(OTHER_KEY, false),
        features: [provisionersModule([provisioner])],
      });

      const submitted = await sealing.as('dana').post('/requests', {
        items: [{ resourceRef: 'sandbox', permission: 'use' }],
      });
      expect(submitted.status).toBe(201);
      const id = submitted.body.requests[0].id;
      const granted = await until(
        async () => (await sealing.as('dana').get(`/requests/${id}`)).body,
        body => body.status === 'active',
      );
      const grantId = granted.items[0].id;
      const sealedBefore = (await grantRow(knex, grantId)).credentials;
      expect(sealedBefore).toEqual(expect.any(String));

      const refused = await other
        .as('dana')
        .post(`/grants/${grantId}/credentials/reveal`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        'This backend cannot open the stored credentials: they were sealed under another access.credentials.encryptionKey (every instance needs the same key). Nothing was erased: try again once the instances share the key, or reset the credentials to get new ones',
      );

      // Still there, still unseen: neither erased nor recorded as shown.
      const row = await grantRow(knex, grantId);
      expect(row.credentials).toBe(sealedBefore);
      expect(row.credentials_state).toBe('ready');
      const after = await other.as('dana').get(`/requests/${id}`);
      expect(after.body.items[0].credentialsReady).toBe(true);
      expect(after.body.audit.map((e: any) => e.action)).not.toContain(
        'credentials-shown',
      );

      // The instance with the right key shows them, once.
      const shown = await sealing
        .as('dana')
        .post(`/grants/${grantId}/credentials/reveal`);
      expect(shown.status).toBe(200);
      expect(shown.body.credentials).toEqual({
        user: 'jit_dana',
        password: 'first',
      });
      expect((await grantRow(knex, grantId)).credentials_state).toBe('shown');
    },
  );
});
