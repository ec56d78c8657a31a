import {
  ObservedAccess,
  sameResourceRef,
} from '@jit-access/plugin-access-node';
import { Knex } from 'knex';
import { PostgresDatabaseConfig } from './config';
import { parseComment, rolesWithPrefix } from './roles';
import { describeError } from './statements';

/**
 * The login roles this module made that exist now, read from each configured database: the
 * roles with the prefix whose comment says they are ours and for that database.
 */
export async function observeLoginRoles(options: {
  databases: PostgresDatabaseConfig[];
  poolFor: (database: PostgresDatabaseConfig) => Knex;
  prefix: string;
  signal: AbortSignal;
}): Promise<ObservedAccess[]> {
  const observed = new Map<string, ObservedAccess>();
  for (const database of options.databases) {
    options.signal.throwIfAborted();
    let rows: { rolname: string; comment: string | null }[];
    try {
      rows = await rolesWithPrefix(options.poolFor(database), options.prefix);
    } catch (error) {
      throw describeError(error);
    }
    for (const row of rows) {
      const { comment } = parseComment(row.comment);
      // Databases in one cluster see the same roles: each reports the ones made for it.
      if (
        !comment ||
        !sameResourceRef(comment.resourceRef, database.resource)
      ) {
        continue;
      }
      observed.set(row.rolname, {
        resourceRef: database.resource,
        permission: comment.permission,
        granteeRef: comment.granteeRef,
        grantId: comment.grantId,
        externalId: row.rolname,
      });
    }
  }
  return [...observed.values()];
}
