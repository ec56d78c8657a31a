import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { AuditStore } from './audit/AuditStore';
import { FavoriteStore } from './favorites/FavoriteStore';
import { applyDatabaseMigrations } from './migrations';

/**
 * The access plugin's persistence, over Knex on the plugin's own database (PostgreSQL in
 * production, SQLite in development and tests): the schema, brought up to date at creation, and
 * one store per aggregate.
 */
export class AccessDatabase {
  /** Connects, migrates the schema unless the database's `migrations.skip` says not to. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<AccessDatabase> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await applyDatabaseMigrations(client);
    }
    return new AccessDatabase(client);
  }

  /** The hash-chained audit log. */
  readonly audit: AuditStore;
  /** Saved request templates. */
  readonly favorites: FavoriteStore;

  /**
   * The Knex handle, for the code whose queries have not moved into a store of their own yet.
   * Transitional: goes away once every aggregate has its store here.
   */
  readonly db: Knex;

  private constructor(db: Knex) {
    this.db = db;
    this.audit = new AuditStore(db);
    this.favorites = new FavoriteStore(db);
  }

  /** Throws when the database cannot answer; used by the health check. */
  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }
}
