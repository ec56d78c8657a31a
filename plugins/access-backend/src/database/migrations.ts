import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

// Migrations ship in the package's own migrations/ folder, next to src/ and dist/.
const migrationsDir = resolvePackagePath(
  '@jit-access/plugin-access-backend',
  'migrations',
);

export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDir });
}

export async function rollbackDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ directory: migrationsDir }, true);
}
