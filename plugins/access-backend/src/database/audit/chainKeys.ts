import { Knex } from 'knex';
import { ChainKey } from './chainHash';

/**
 * Chain keys by database. Callers append with nothing but their transaction, so the key is
 * found through it: a Knex transaction shares its `client.config` object with the Knex instance
 * it was started from (and so do nested transactions), and each Knex instance has its own.
 */
const chainKeys = new WeakMap<object, ChainKey | null>();

function clientConfig(db: Knex): object | undefined {
  const config = (db as any)?.client?.config;
  return typeof config === 'object' && config !== null ? config : undefined;
}

/**
 * Sets the key that appends through `db` (and its transactions) are keyed with and that
 * verification uses; null writes unkeyed links. Called once at startup, before any append.
 */
export function setAuditChainKey(db: Knex, key: ChainKey | null): void {
  const config = clientConfig(db);
  if (!config) {
    throw new TypeError('Not a Knex instance: cannot set the audit chain key');
  }
  chainKeys.set(config, key);
}

/** The key set for the database behind `db` (an instance or a transaction), or null. */
export function auditChainKeyFor(db: Knex): ChainKey | null {
  const config = clientConfig(db);
  return (config && chainKeys.get(config)) ?? null;
}
