import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex, knex as createKnex } from 'knex';
import { PostgresDatabaseConfig } from './config';

/** The provisioner's connection pools, one per configured database, made when first needed. */
export interface PostgresPools {
  /** The database's pool; fails once the pools are closed. */
  poolFor(database: PostgresDatabaseConfig): Knex;
  /** Destroys every pool; later calls to `poolFor` fail. */
  close(): Promise<void>;
}

/** How the provisioner's sessions are set up. */
export interface PostgresPoolOptions {
  /** Logs pool problems outside provisioning calls. */
  logger?: LoggerService;
  acquireConnectionTimeoutMs: number;
  statementTimeoutMs: number;
}

function createPool(
  database: PostgresDatabaseConfig,
  options: PostgresPoolOptions,
): Knex {
  const { connection } = database;
  return createKnex({
    client: 'pg',
    connection: {
      host: connection.host,
      port: connection.port,
      user: connection.user,
      password: connection.password,
      database: connection.database,
      ssl: connection.ssl,
      application_name: 'jit-access',
      // Only pg_catalog: a grantee may create functions in schemas such as public, and one
      // whose argument types fit a call better than the built-in's (a left(name, integer))
      // would otherwise run in these sessions, with the connection user's rights.
      options: '-c search_path=pg_catalog',
      connectionTimeoutMillis: options.acquireConnectionTimeoutMs,
      statement_timeout: options.statementTimeoutMs,
    } as Knex.PgConnectionConfig,
    pool: { min: 0, max: 4, idleTimeoutMillis: 30_000 },
    acquireConnectionTimeout: options.acquireConnectionTimeoutMs,
    log: {
      warn: (message: unknown) =>
        options.logger?.warn(`PostgreSQL ${database.resource}: ${message}`),
      error: (message: unknown) =>
        options.logger?.error(`PostgreSQL ${database.resource}: ${message}`),
      deprecate: () => {},
      debug: () => {},
    },
  });
}

export function createPostgresPools(
  options: PostgresPoolOptions,
): PostgresPools {
  const pools = new Map<PostgresDatabaseConfig, Knex>();
  let closed = false;
  return {
    poolFor(database) {
      if (closed) {
        throw new Error('The PostgreSQL provisioner has been shut down');
      }
      let pool = pools.get(database);
      if (!pool) {
        pool = createPool(database, options);
        pools.set(database, pool);
      }
      return pool;
    },
    async close() {
      closed = true;
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map(pool => pool.destroy()));
    },
  };
}
