import { mockServices } from '@backstage/backend-test-utils';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { AccessDatabase } from './AccessDatabase';
import { rollbackDatabaseMigrations } from './migrations';

const TABLES = [
  'access_requests',
  'access_grants',
  'access_request_approvers',
  'access_approvals',
  'access_audit_events',
  'access_favorites',
];

describe('AccessDatabase', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    'creates its tables by migration and answers pings, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });

      const store = await AccessDatabase.create({ database });
      await expect(store.ping()).resolves.toBeUndefined();

      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      // The status machine's compare-and-set needs the version column, starting at 0.
      await knex('access_requests').insert({
        id: '00000000-0000-4000-8000-000000000001',
        submission_id: '00000000-0000-4000-8000-000000000002',
        requester_ref: 'user:default/dana',
        grantee_ref: 'user:default/dana',
        flow_id: 'databases',
        status: 'pending_approval',
        created_at: new Date(),
        updated_at: new Date(),
      });
      const [row] = await knex('access_requests').select('version');
      expect(Number(row.version)).toBe(0);

      // A second start finds the schema current and changes nothing.
      await AccessDatabase.create({ database });
      const [{ n }] = await knex('access_requests').count({ n: '*' });
      expect(Number(n)).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'allows one decision per approver and stage, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await AccessDatabase.create({
        database: mockServices.database({ knex }),
      });
      const now = new Date();
      await knex('access_requests').insert({
        id: 'r1',
        submission_id: 's1',
        requester_ref: 'user:default/dana',
        grantee_ref: 'user:default/dana',
        flow_id: 'databases',
        status: 'pending_approval',
        created_at: now,
        updated_at: now,
      });
      const decision = {
        request_id: 'r1',
        stage: 0,
        approver_ref: 'user:default/lee',
        decision: 'approve',
        decided_at: now,
      };
      await knex('access_approvals').insert({ id: 'a1', ...decision });
      // toMatchObject, not toThrow: better-sqlite3 builds its errors in the realm of the first
      // test file that loaded it, so in later files they are not `instanceof Error`.
      await expect(
        knex('access_approvals').insert({ id: 'a2', ...decision }),
      ).rejects.toMatchObject({
        message: expect.stringMatching(/unique|duplicate/i),
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'rolls its migrations back cleanly, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await AccessDatabase.create({
        database: mockServices.database({ knex }),
      });

      await rollbackDatabaseMigrations(knex);
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
    },
  );

  it('leaves the schema alone when migrations are skipped', async () => {
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({
      knex,
      migrations: { skip: true },
    });

    const store = await AccessDatabase.create({ database });
    await expect(store.ping()).resolves.toBeUndefined();
    expect(await knex.schema.hasTable('access_requests')).toBe(false);
  });
});
