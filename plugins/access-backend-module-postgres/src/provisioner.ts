import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AccessCredentials,
  AccessProvisioner,
  GrantResult,
  ObservedAccess,
  ProvisioningContext,
  ProvisioningError,
  ProvisioningTarget,
} from '@jit-access/plugin-access-node';
import { PostgresDatabaseConfig, PostgresProvisionerConfig } from './config';
import { dropLoginRole, revokeMemberships } from './ownedObjects';
import { observeLoginRoles } from './observe';
import { createPostgresPools } from './pools';
import {
  assertOwnRole,
  commentLiteral,
  findRole,
  RoleComment,
  roleNameOf,
} from './roles';
import { terminateSessions } from './sessions';
import {
  generatePassword,
  quoteIdentifier,
  quoteLiteral,
  roleNameForGrant,
  scramSha256Verifier,
} from './sql';
import { describeError, exec } from './statements';
import { credentialsFor, databaseFor, endOf, grantedRoleFor } from './targets';

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

const DEFAULTS = {
  acquireConnectionTimeoutMs: 15_000,
  statementTimeoutMs: 30_000,
  sessionEndTimeoutMs: 10_000,
};

/**
 * Creates the provisioner that grants temporary PostgreSQL logins: one login role per grant, with
 * a generated password and `VALID UNTIL` the grant's end, member of the role configured for the
 * permission; revoking ends its sessions and drops it.
 */
export function createPostgresProvisioner(
  options: PostgresProvisionerOptions,
): PostgresProvisioner {
  const { config } = options;
  const sessionEndTimeoutMs =
    options.sessionEndTimeoutMs ?? DEFAULTS.sessionEndTimeoutMs;
  const prefix = config.rolePrefix;
  const { poolFor, close } = createPostgresPools({
    logger: options.logger,
    acquireConnectionTimeoutMs:
      options.acquireConnectionTimeoutMs ?? DEFAULTS.acquireConnectionTimeoutMs,
    statementTimeoutMs:
      options.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs,
  });

  function managed(database: PostgresDatabaseConfig) {
    return { config: database, pool: () => poolFor(database) };
  }

  async function grant(
    target: ProvisioningTarget,
    ctx: ProvisioningContext,
  ): Promise<PostgresGrantResult> {
    const database = databaseFor(config, target);
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
    const database = databaseFor(config, target);
    const roleName = roleNameOf(target, prefix);
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
      const terminated = await terminateSessions(db, roleName, {
        signal: ctx.signal,
        timeoutMs: sessionEndTimeoutMs,
      });
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
    const database = databaseFor(config, target);
    const validUntil = endOf(target);
    const roleName = roleNameOf(target, prefix);
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
    const database = databaseFor(config, target);
    const validUntil = endOf(target);
    const roleName = roleNameOf(target, prefix);
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
      const terminated = await terminateSessions(db, roleName, {
        signal: ctx.signal,
        timeoutMs: sessionEndTimeoutMs,
      });
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
    return observeLoginRoles({
      databases: config.databases,
      poolFor,
      prefix,
      signal: ctx.signal,
    });
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
