import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const POSTGRES_IDS: TestDatabaseId[] = [
  'POSTGRES_18',
  'POSTGRES_17',
  'POSTGRES_16',
  'POSTGRES_15',
  'POSTGRES_14',
  'POSTGRES_13',
  'POSTGRES_12',
  'POSTGRES_11',
  'POSTGRES_9',
] as TestDatabaseId[];

const connectionVariable = (id: string) =>
  `BACKSTAGE_TEST_DATABASE_${id.replace('_', '')}_CONNECTION_STRING`;

/**
 * The databases every store test runs on: SQLite always, and each PostgreSQL server given through
 * Backstage's `BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING` variables. With
 * `JIT_ACCESS_REQUIRE_POSTGRES` set (as CI and the test script do), a missing PostgreSQL fails
 * the tests instead of quietly testing SQLite alone.
 */
export function accessTestDatabaseIds(): TestDatabaseId[] {
  const postgres = POSTGRES_IDS.filter(
    id => process.env[connectionVariable(id)],
  );
  if (postgres.length === 0 && process.env.JIT_ACCESS_REQUIRE_POSTGRES) {
    throw new Error(
      'JIT_ACCESS_REQUIRE_POSTGRES is set but no BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING is',
    );
  }
  return ['SQLITE_3', ...postgres];
}

/** TestDatabases over {@link accessTestDatabaseIds}, never starting containers. */
export function createAccessTestDatabases(): TestDatabases {
  return TestDatabases.create({
    ids: accessTestDatabaseIds(),
    disableDocker: true,
  });
}
