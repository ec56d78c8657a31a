import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AccessCredentials,
  AccessProvisioner,
  GrantResult,
  ObservedAccess,
  ProvisioningContext,
  ProvisioningError,
  ProvisioningTarget,
  sameResourceRef,
} from '@jit-access/plugin-access-node';
import { Knex, knex as createKnex } from 'knex';
import { PostgresDatabaseConfig, PostgresProvisionerConfig } from './config';
import { dropLoginRole, revokeMemberships } from './ownedObjects';
import {
  generatePassword,
  quoteIdentifier,
  quoteLiteral,
  roleNameForGrant,
  scramSha256Verifier,
} from './sql';
import { describeError, exec } from './statements';

/** What the PostgreSQL provisioner's grant returns: always a role name and credentials. */
export interface PostgresGrantResult extends GrantResult {
  /** Name of the login role. */
  externalId: string;
  /** host, port, database, user and password. */
  credentials: AccessCredentials;
}

/** A provisioner that also owns connection pools, closed with {@link PostgresProvisioner.close}. */
export interface PostgresProvisioner extends AccessProvisioner {
  /** Creates (or, retried, renews) the grant's login role; returns its name and credentials. */
  grant(
    target: ProvisioningTarget,
    ctx: ProvisioningContext,
  ): Promise<PostgresGrantResult>;
  /** Ends the role's sessions and drops it; succeeds when it is already gone. */
  revoke(target: ProvisioningTarget, ctx: ProvisioningContext): Promise<void>;
  /** The login roles this provisioner made that exist now. */
  observe(
    ctx: Omit<ProvisioningContext, 'idempotencyKey'>,
  ): Promise<ObservedAccess[]>;
  /**
   * Moves the login role's `VALID UNTIL` (and the end in its comment) to `target.endsAt`, keeping
   * the password and open sessions; fails permanently when the role is gone.
   */
  extend(target: ProvisioningTarget, ctx: ProvisioningContext): Promise<void>;
  /** Sets a new password (ending open sessions); fails permanently when the role is gone. */
  resetCredentials(
    target: ProvisioningTarget,
    ctx: ProvisioningContext,
  ): Promise<AccessCredentials>;
  /** Destroys the connection pools; the backend calls it on shutdown. */
  close(): Promise<void>;
}

/** Options of {@link createPostgresProvisioner}. */
export interface PostgresProvisionerOptions {
  config: PostgresProvisionerConfig;
  /** Logs pool problems outside provisioning calls; calls log to their context's logger. */
  logger?: LoggerService;
  /** How long to wait for a connection from a pool. Default 15 seconds. */
  acquireConnectionTimeoutMs?: number;
  /** `statement_timeout` of the provisioner's sessions. Default 30 seconds. */
  statementTimeoutMs?: number;
  /** How long revoke waits for the role's terminated sessions to end. Default 10 seconds. */
  sessionEndTimeoutMs?: number;
}

/** What this module writes into `COMMENT ON ROLE`, so reconciliation can tell whose role it is. */
interface RoleComment {
  managedBy: 'jit-access';
  grantId: string;
  requestId: string;
  granteeRef: string;
  resourceRef: string;
  permission: string;
  endsAt: string;
}

interface ExistingRole {
  name: string;
  /** False once revoking has begun (the role is made NOLOGIN before it is dropped). */
  canLogin: boolean;
  comment?: RoleComment;
  /** The comment is there but is not ours (or not JSON). */
  foreign: boolean;
}

const DEFAULTS = {
  acquireConnectionTimeoutMs: 15_000,
  statementTimeoutMs: 30_000,
  sessionEndTimeoutMs: 10_000,
};

function parseComment(text: string | null | undefined): {
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
function commentLiteral(comment: RoleComment): string {
  return quoteLiteral(JSON.stringify(comment).replace(/\?/g, '\\u003f'));
}

function endOf(target: ProvisioningTarget): string {
  const end = new Date(target.endsAt);
  if (Number.isNaN(end.getTime())) {
    throw new ProvisioningError(
      `Grant ${target.grantId} has no valid end ('${target.endsAt}')`,
      { permanent: true },
    );
  }
  return end.toISOString();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Creates the provisioner that grants temporary PostgreSQL logins: one login role per grant, with
 * a generated password and `VALID UNTIL` the grant's end, member of the role configured for the
 * permission; revoking ends its sessions and drops it.
 */
export function createPostgresProvisioner(
  options: PostgresProvisionerOptions,
): PostgresProvisioner {
  const { config } = options;
  const acquireConnectionTimeoutMs =
    options.acquireConnectionTimeoutMs ?? DEFAULTS.acquireConnectionTimeoutMs;
  const statementTimeoutMs =
    options.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs;
  const sessionEndTimeoutMs =
    options.sessionEndTimeoutMs ?? DEFAULTS.sessionEndTimeoutMs;
  const prefix = config.rolePrefix;
  const pools = new Map<PostgresDatabaseConfig, Knex>();
  let closed = false;

  function poolFor(database: PostgresDatabaseConfig): Knex {
    if (closed) {
      throw new Error('The PostgreSQL provisioner has been shut down');
    }
    let pool = pools.get(database);
    if (!pool) {
      const { connection } = database;
      pool = createKnex({
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
          connectionTimeoutMillis: acquireConnectionTimeoutMs,
          statement_timeout: statementTimeoutMs,
        } as Knex.PgConnectionConfig,
        pool: { min: 0, max: 4, idleTimeoutMillis: 30_000 },
        acquireConnectionTimeout: acquireConnectionTimeoutMs,
        log: {
          warn: (message: unknown) =>
            options.logger?.warn(`PostgreSQL ${database.resource}: ${message}`),
          error: (message: unknown) =>
            options.logger?.error(
              `PostgreSQL ${database.resource}: ${message}`,
            ),
          deprecate: () => {},
          debug: () => {},
        },
      });
      pools.set(database, pool);
    }
    return pool;
  }

  function managed(database: PostgresDatabaseConfig) {
    return { config: database, pool: () => poolFor(database) };
  }

  function databaseFor(target: ProvisioningTarget): PostgresDatabaseConfig {
    const database = config.databases.find(candidate =>
      sameResourceRef(candidate.resource, target.resourceRef),
    );
    if (!database) {
      throw new ProvisioningError(
        `No PostgreSQL database is configured for ${target.resourceRef} (access.postgres.databases)`,
        { permanent: true },
      );
    }
    return database;
  }

  function grantedRoleFor(
    database: PostgresDatabaseConfig,
    target: ProvisioningTarget,
  ): string {
    const role = Object.prototype.hasOwnProperty.call(
      database.permissions,
      target.permission,
    )
      ? database.permissions[target.permission]
      : undefined;
    if (!role) {
      throw new ProvisioningError(
        `Permission '${target.permission}' is not configured for ${
          database.resource
        } (configured: ${Object.keys(database.permissions).join(', ')})`,
        { permanent: true },
      );
    }
    return role;
  }

  function credentialsFor(
    database: PostgresDatabaseConfig,
    user: string,
    password: string,
  ): AccessCredentials {
    return {
      host: database.publicHost ?? database.connection.host,
      port: String(database.publicPort ?? database.connection.port),
      database: database.connection.database,
      user,
      password,
    };
  }

  async function findRole(
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

  /** Refuses to touch a role that this module did not create for this grant. */
  function assertOwnRole(role: ExistingRole, target: ProvisioningTarget) {
    if (role.comment?.grantId !== target.grantId) {
      throw new ProvisioningError(
        `Database role ${role.name} exists but was not created for grant ${target.grantId}; leaving it alone`,
        { permanent: true },
      );
    }
  }

  async function terminateSessions(
    db: Knex,
    roleName: string,
    signal: AbortSignal,
  ): Promise<number> {
    const terminated = await db.raw(
      `select count(*) filter (where pg_terminate_backend(pid)) as count
         from pg_catalog.pg_stat_activity
        where usename = ? and pid <> pg_backend_pid()`,
      [roleName],
    );
    const count = Number(terminated.rows[0]?.count ?? 0);
    // pg_terminate_backend only signals; wait until the sessions are really gone.
    const deadline = Date.now() + sessionEndTimeoutMs;
    for (;;) {
      const remaining = await db.raw(
        `select count(*) as count from pg_catalog.pg_stat_activity where usename = ?`,
        [roleName],
      );
      if (Number(remaining.rows[0]?.count ?? 0) === 0) {
        return count;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Sessions of database role ${roleName} did not end after being terminated`,
        );
      }
      await sleep(100, signal);
    }
  }

  async function grant(
    target: ProvisioningTarget,
    ctx: ProvisioningContext,
  ): Promise<PostgresGrantResult> {
    const database = databaseFor(target);
    const grantedRole = grantedRoleFor(database, target);
    const validUntil = endOf(target);
    const roleName = roleNameForGrant(prefix, target.grantId);
    const password = generatePassword();
    const verifier = await scramSha256Verifier(password);
    const comment: RoleComment = {
      managedBy: 'jit-access',
      grantId: target.grantId,
      requestId: target.requestId,
      granteeRef: target.granteeRef,
      resourceRef: database.resource,
      permission: target.permission,
      endsAt: validUntil,
    };
    ctx.signal.throwIfAborted();
    const db = poolFor(database);
    const role = quoteIdentifier(roleName);
    const attributes = `LOGIN PASSWORD ${quoteLiteral(
      verifier,
    )} VALID UNTIL ${quoteLiteral(validUntil)}`;
    let created = false;
    try {
      await db.transaction(async trx => {
        const existing = await findRole(trx, roleName);
        if (existing) {
          assertOwnRole(existing, target);
          await exec(trx, `ALTER ROLE ${role} WITH ${attributes}`);
        } else {
          await exec(
            trx,
            `CREATE ROLE ${role} WITH ${attributes} INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION`,
          );
          created = true;
        }
        ctx.signal.throwIfAborted();
        await exec(trx, `GRANT ${quoteIdentifier(grantedRole)} TO ${role}`);
        await exec(
          trx,
          `COMMENT ON ROLE ${role} IS ${commentLiteral(comment)}`,
        );
      });
    } catch (error) {
      throw describeError(error);
    }
    ctx.logger.info(
      `${
        created ? 'Created' : 'Renewed'
      } PostgreSQL login role ${roleName} in ${
        database.resource
      } with role ${grantedRole}, valid until ${validUntil}`,
    );
    return {
      externalId: roleName,
      credentials: credentialsFor(database, roleName, password),
    };
  }

  async function revoke(
    target: ProvisioningTarget,
    ctx: ProvisioningContext,
  ): Promise<void> {
    const database = databaseFor(target);
    const roleName =
      target.externalId ?? roleNameForGrant(prefix, target.grantId);
    ctx.signal.throwIfAborted();
    const db = poolFor(database);
    try {
      const existing = await findRole(db, roleName);
      if (!existing) {
        ctx.logger.info(
          `PostgreSQL login role ${roleName} in ${database.resource} is already gone`,
        );
        return;
      }
      assertOwnRole(existing, target);
      // No new logins from here on, out of the configured roles, then end the open sessions and
      // drop the role with what it owns (never handing that to the connection user).
      await exec(db, `ALTER ROLE ${quoteIdentifier(roleName)} WITH NOLOGIN`);
      await revokeMemberships(
        db,
        roleName,
        Object.values(database.permissions),
      );
      ctx.signal.throwIfAborted();
      const terminated = await terminateSessions(db, roleName, ctx.signal);
      ctx.signal.throwIfAborted();
      const { disposed } = await dropLoginRole({
        role: roleName,
        home: managed(database),
        others: config.databases
          .filter(other => other !== database)
          .map(managed),
      });
      ctx.logger.info(
        `Dropped PostgreSQL login role ${roleName} in ${database.resource}${
          terminated ? `, ending ${terminated} open session(s)` : ''
        }${disposed.map(done => `; ${done}`).join('')}`,
      );
    } catch (error) {
      throw describeError(error);
    }
  }

  async function extend(
    target: ProvisioningTarget,
    ctx: ProvisioningContext,
  ): Promise<void> {
    const database = databaseFor(target);
    const validUntil = endOf(target);
    const roleName =
      target.externalId ?? roleNameForGrant(prefix, target.grantId);
    ctx.signal.throwIfAborted();
    const db = poolFor(database);
    const role = quoteIdentifier(roleName);
    try {
      await db.transaction(async trx => {
        const existing = await findRole(trx, roleName);
        if (!existing) {
          throw new ProvisioningError(
            `PostgreSQL login role ${roleName} for grant ${target.grantId} no longer exists`,
            { permanent: true },
          );
        }
        assertOwnRole(existing, target);
        if (!existing.canLogin) {
          throw new ProvisioningError(
            `PostgreSQL login role ${roleName} for grant ${target.grantId} is being revoked`,
            { permanent: true },
          );
        }
        ctx.signal.throwIfAborted();
        // Only the expiry changes: the password, the membership and open sessions stay.
        await exec(
          trx,
          `ALTER ROLE ${role} VALID UNTIL ${quoteLiteral(validUntil)}`,
        );
        if (existing.comment && 'endsAt' in existing.comment) {
          await exec(
            trx,
            `COMMENT ON ROLE ${role} IS ${commentLiteral({
              ...existing.comment,
              endsAt: validUntil,
            })}`,
          );
        }
      });
    } catch (error) {
      throw describeError(error);
    }
    ctx.logger.info(
      `PostgreSQL login role ${roleName} in ${database.resource} is now valid until ${validUntil}`,
    );
  }

  async function resetCredentials(
    target: ProvisioningTarget,
    ctx: ProvisioningContext,
  ): Promise<AccessCredentials> {
    const database = databaseFor(target);
    const validUntil = endOf(target);
    const roleName =
      target.externalId ?? roleNameForGrant(prefix, target.grantId);
    const password = generatePassword();
    const verifier = await scramSha256Verifier(password);
    ctx.signal.throwIfAborted();
    const db = poolFor(database);
    try {
      const existing = await findRole(db, roleName);
      if (!existing) {
        throw new ProvisioningError(
          `PostgreSQL login role ${roleName} for grant ${target.grantId} no longer exists`,
          { permanent: true },
        );
      }
      assertOwnRole(existing, target);
      await exec(
        db,
        `ALTER ROLE ${quoteIdentifier(
          roleName,
        )} WITH LOGIN PASSWORD ${quoteLiteral(
          verifier,
        )} VALID UNTIL ${quoteLiteral(validUntil)}`,
      );
      // Sessions opened with the old password end too: the old credentials stop working.
      const terminated = await terminateSessions(db, roleName, ctx.signal);
      ctx.logger.info(
        `New password for PostgreSQL login role ${roleName} in ${
          database.resource
        }${terminated ? `, ending ${terminated} open session(s)` : ''}`,
      );
    } catch (error) {
      throw describeError(error);
    }
    return credentialsFor(database, roleName, password);
  }

  async function observe(
    ctx: Omit<ProvisioningContext, 'idempotencyKey'>,
  ): Promise<ObservedAccess[]> {
    const observed = new Map<string, ObservedAccess>();
    for (const database of config.databases) {
      ctx.signal.throwIfAborted();
      let rows: { rolname: string; comment: string | null }[];
      try {
        const result = await poolFor(database).raw(
          `select rolname, shobj_description(oid, 'pg_authid') as comment
             from pg_catalog.pg_roles
            where left(rolname, ?) = ?
            order by rolname`,
          [prefix.length, prefix],
        );
        rows = result.rows;
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

  async function close() {
    closed = true;
    const all = [...pools.values()];
    pools.clear();
    await Promise.all(all.map(pool => pool.destroy()));
  }

  const permissions = [
    ...new Set(
      config.databases.flatMap(database => Object.keys(database.permissions)),
    ),
  ];

  return {
    id: config.id,
    title: 'PostgreSQL',
    serves: { permissions },
    overlap: 'independent',
    grant,
    revoke,
    extend,
    observe,
    resetCredentials,
    close,
  };
}
