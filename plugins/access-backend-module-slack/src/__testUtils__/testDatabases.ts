import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const POSTGRES_IDS = [
  'POSTGRES_18',
  'POSTGRES_17',
  'POSTGRES_16',
  'POSTGRES_15',
  'POSTGRES_14',
  'POSTGRES_13',
] as TestDatabaseId[];

/**
 * SQLite, and each PostgreSQL server given through Backstage's
 * `BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING`; with `JIT_ACCESS_REQUIRE_POSTGRES`
 * set (CI, the test script), a missing PostgreSQL fails the tests.
 */
export function createTestDatabases(): TestDatabases {
  const postgres = POSTGRES_IDS.filter(
    id =>
      process.env[
        `BACKSTAGE_TEST_DATABASE_${id.replace('_', '')}_CONNECTION_STRING`
      ],
  );
  if (postgres.length === 0 && process.env.JIT_ACCESS_REQUIRE_POSTGRES) {
    throw new Error(
      'JIT_ACCESS_REQUIRE_POSTGRES is set but no BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING is',
    );
  }
  return TestDatabases.create({
    ids: ['SQLITE_3', ...postgres],
    disableDocker: true,
  });
}
