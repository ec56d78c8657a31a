import { Knex } from 'knex';

/**
 * Locks the rows a query reads for the rest of its transaction, where the database can: SQLite
 * already lets one writer at a time in, while PostgreSQL needs the row lock so that concurrent
 * writers of the same rows (two decisions on one request, the engine and a revoke) see each other.
 * Returns the query, for chaining.
 */
export function lockRows<Q extends Knex.QueryBuilder>(
  tx: Knex.Transaction,
  query: Q,
): Q {
  if (isPostgres(tx)) {
    query.forUpdate();
  }
  return query;
}

/** Whether the handle talks to PostgreSQL (the only other client is SQLite), by any of its names. */
export function isPostgres(db: Knex): boolean {
  const client = db.client as {
    config?: { client?: unknown };
    dialect?: string;
  };
  const name = client?.config?.client;
  if (typeof name === 'string') {
    return ['pg', 'postgres', 'postgresql', 'pgnative'].includes(name);
  }
  return client?.dialect === 'postgresql';
}
