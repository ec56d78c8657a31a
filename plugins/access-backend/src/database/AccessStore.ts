import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from './migrations';

/**
 * The access plugin's persistence, over Knex on the plugin's own database (PostgreSQL in
 * production, SQLite in development and tests).
 */
export class AccessStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<AccessStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await applyDatabaseMigrations(client);
    }
    return new AccessStore(client);
  }

  private constructor(readonly db: Knex) {}

  /** Throws when the database cannot answer; used by the health check. */
  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }
}
