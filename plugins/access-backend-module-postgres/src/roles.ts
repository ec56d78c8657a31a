import {
  ProvisioningError,
  ProvisioningTarget,
} from '@jit-access/plugin-access-node';
import { Knex } from 'knex';
import { quoteLiteral, roleNameForGrant } from './sql';

/** What this module writes into `COMMENT ON ROLE`, so reconciliation can tell whose role it is. */
export interface RoleComment {
  managedBy: 'jit-access';
  grantId: string;
  requestId: string;
  granteeRef: string;
  resourceRef: string;
  permission: string;
  endsAt: string;
}

/** A login role as the catalog shows it. */
export interface ExistingRole {
  name: string;
  /** False once revoking has begun (the role is made NOLOGIN before it is dropped). */
  canLogin: boolean;
  comment?: RoleComment;
  /** The comment is there but is not ours (or not JSON). */
  foreign: boolean;
}

/** Reads a role's comment: ours when it is the JSON this module writes. */
export function parseComment(text: string | null | undefined): {
  comment?: RoleComment;
  foreign: boolean;
} {
  if (!text) {
    return { foreign: false };
  }
  try {
    const value = JSON.parse(text);
    if (
      value &&
      value.managedBy === 'jit-access' &&
      typeof value.grantId === 'string' &&
      typeof value.resourceRef === 'string' &&
      typeof value.permission === 'string' &&
      typeof value.granteeRef === 'string'
    ) {
      return { comment: value as RoleComment, foreign: false };
    }
  } catch {
    // Not ours.
  }
  return { foreign: true };
}

/**
 * The comment as an SQL literal. `?` is written as the JSON escape `\u003f`: the query builder
 * would otherwise read it as a parameter placeholder.
 */
export function commentLiteral(comment: RoleComment): string {
  return quoteLiteral(JSON.stringify(comment).replace(/\?/g, '\\u003f'));
}

/** The login role of a granted target: the one the grant returned, or the one it would make. */
export function roleNameOf(target: ProvisioningTarget, prefix: string): string {
  return target.externalId ?? roleNameForGrant(prefix, target.grantId);
}

/** The role with this name, when it exists. */
export async function findRole(
  db: Knex | Knex.Transaction,
  name: string,
): Promise<ExistingRole | undefined> {
  const result = await db.raw(
    `select rolname, rolcanlogin, shobj_description(oid, 'pg_authid') as comment
       from pg_catalog.pg_roles where rolname = ?`,
    [name],
  );
  const row = result.rows[0] as
    | { rolname: string; rolcanlogin: boolean; comment: string | null }
    | undefined;
  if (!row) {
    return undefined;
  }
  return {
    name: row.rolname,
    canLogin: row.rolcanlogin,
    ...parseComment(row.comment),
  };
}

/** The roles whose names start with the prefix, with their comments, by name. */
export async function rolesWithPrefix(
  db: Knex,
  prefix: string,
): Promise<{ rolname: string; comment: string | null }[]> {
  const result = await db.raw(
    `select rolname, shobj_description(oid, 'pg_authid') as comment
       from pg_catalog.pg_roles
      where left(rolname, ?) = ?
      order by rolname`,
    [prefix.length, prefix],
  );
  return result.rows;
}

/** Refuses to touch a role that this module did not create for this grant. */
export function assertOwnRole(role: ExistingRole, target: ProvisioningTarget) {
  if (role.comment?.grantId !== target.grantId) {
    throw new ProvisioningError(
      `Database role ${role.name} exists but was not created for grant ${target.grantId}; leaving it alone`,
      { permanent: true },
    );
  }
}
