/**
 * Dropping a revoked login role, and what it owns. While its login exists a grantee can create
 * objects in any schema it has CREATE on, and PostgreSQL refuses to drop a role that owns
 * anything anywhere in the cluster. Those objects are never handed to the connection user: a
 * `SECURITY DEFINER` function the grantee planted would then run with the manager's CREATEROLE
 * and let anyone mint roles. Per database they are dropped (`onOwnedObjects: drop`, the default)
 * or handed to a powerless quarantine role (`quarantine`); when neither is possible the revocation
 * fails permanently, the login already shut and out of the configured roles.
 */
import { ProvisioningError } from '@jit-access/plugin-access-node';
import { Knex } from 'knex';
import { PostgresDatabaseConfig } from './config';
import { quoteIdentifier } from './sql';
import { exec } from './statements';

/** One of the module's databases and its connection pool. */
export interface ManagedDatabase {
  config: PostgresDatabaseConfig;
  pool(): Knex;
}

/** What {@link dropLoginRole} did, for the log. */
export interface DroppedLoginRole {
  /** False when the role was already gone. */
  dropped: boolean;
  /** What became of what it owned, per database, e.g. `dropped what it owned in payments`. */
  disposed: string[];
}

interface RoleIdentity {
  roleOid: string;
  databaseOid: string;
  database: string;
}

type Db = Knex | Knex.Transaction;

function notDropped(role: string) {
  return `database role ${role} was not dropped (it can no longer log in and holds none of the configured roles)`;
}

/** The role's oid and the current database's, or undefined when the role is gone. */
async function identify(
  db: Db,
  role: string,
): Promise<RoleIdentity | undefined> {
  const result = await db.raw(
    `select r.oid::text as role_oid, d.oid::text as database_oid, d.datname
       from pg_catalog.pg_roles r, pg_catalog.pg_database d
      where r.rolname = ? and d.datname = pg_catalog.current_database()`,
    [role],
  );
  const row = result.rows[0];
  return (
    row && {
      roleOid: row.role_oid,
      databaseOid: row.database_oid,
      database: row.datname,
    }
  );
}

/**
 * The databases where the role owns objects or holds privileges, from `pg_shdepend` (a shared
 * catalog: every database sees the whole cluster's). Oid `0` stands for shared objects
 * (databases, tablespaces), whose privileges `DROP OWNED` in any database revokes.
 */
async function dependentDatabases(db: Db, roleOid: string) {
  const result = await db.raw(
    `select distinct s.dbid::text as oid, d.datname as name
       from pg_catalog.pg_shdepend s
       left join pg_catalog.pg_database d on d.oid = s.dbid
      where s.refclassid = 'pg_catalog.pg_authid'::regclass
        and s.refobjid = ?::oid and s.deptype <> 'p'`,
    [roleOid],
  );
  return result.rows as { oid: string; name: string | null }[];
}

/**
 * The module's database that is the cluster's database `oid`: same name, and through its own
 * connection the same role oid and database oid (so another cluster's namesake does not count).
 */
async function managedDatabase(
  candidates: ManagedDatabase[],
  dependency: { oid: string; name: string | null },
  role: string,
  roleOid: string,
): Promise<ManagedDatabase | undefined> {
  for (const candidate of candidates) {
    if (candidate.config.connection.database !== dependency.name) {
      continue;
    }
    const identity = await identify(candidate.pool(), role);
    if (
      identity?.roleOid === roleOid &&
      identity.databaseOid === dependency.oid
    ) {
      return candidate;
    }
  }
  return undefined;
}

/**
 * Takes the role out of the configured roles it was granted, so that whatever it leaves behind
 * (should dropping it fail) runs without the resource's privileges.
 */
export async function revokeMemberships(
  db: Db,
  role: string,
  configuredRoles: string[],
): Promise<void> {
  const result = await db.raw(
    `select g.rolname::text as name
       from pg_catalog.pg_auth_members m
       join pg_catalog.pg_roles g on g.oid = m.roleid
       join pg_catalog.pg_roles r on r.oid = m.member
      where r.rolname = ? and g.rolname = any(?)`,
    [role, configuredRoles],
  );
  for (const { name } of result.rows as { name: string }[]) {
    await exec(
      db,
      `REVOKE ${quoteIdentifier(name)} FROM ${quoteIdentifier(role)}`,
    );
  }
}

/**
 * Refuses a quarantine role that could do anything with what it receives: it must exist, be
 * NOLOGIN, have no attributes beyond that, belong to no role (so it inherits nothing), and be
 * usable by the connection user (REASSIGN OWNED needs that).
 */
async function assertPowerless(
  trx: Knex.Transaction,
  database: PostgresDatabaseConfig,
  quarantine: string,
  role: string,
) {
  const result = await trx.raw(
    `select r.rolcanlogin, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication,
            r.rolbypassrls, current_user::text as manager,
            pg_catalog.pg_has_role(current_user, r.oid, 'USAGE') as usable,
            array(select b.rolname::text from pg_catalog.pg_auth_members m
                    join pg_catalog.pg_roles b on b.oid = m.roleid
                   where m.member = r.oid order by 1) as member_of
       from pg_catalog.pg_roles r where r.rolname = ?`,
    [quarantine],
  );
  const row = result.rows[0];
  const problems: string[] = [];
  if (!row) {
    problems.push('does not exist');
  } else {
    if (row.rolcanlogin) problems.push('can log in');
    if (row.rolsuper) problems.push('is a superuser');
    const attributes = [
      ['rolcreaterole', 'CREATEROLE'],
      ['rolcreatedb', 'CREATEDB'],
      ['rolreplication', 'REPLICATION'],
      ['rolbypassrls', 'BYPASSRLS'],
    ];
    for (const [column, attribute] of attributes) {
      if (row[column]) problems.push(`has ${attribute}`);
    }
    if (row.member_of.length > 0) {
      problems.push(`is a member of ${row.member_of.join(', ')}`);
    }
    if (!row.usable) {
      problems.push(
        `is not granted to the connection user ${
          row.manager
        } (GRANT ${quoteIdentifier(quarantine)} TO ${quoteIdentifier(
          row.manager,
        )})`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ProvisioningError(
      `The quarantine role ${quarantine} of ${
        database.resource
      } cannot receive what revoked logins owned: it ${problems.join(
        ', it ',
      )}. It must be a NOLOGIN role without other attributes that is a member of no role (see the README), or set onOwnedObjects: drop; ${notDropped(
        role,
      )}`,
      { permanent: true },
    );
  }
}

/**
 * Makes the routines (functions, procedures) just handed to the quarantine role callable by
 * nobody but it: their EXECUTE goes from PUBLIC and from every role it was granted to.
 * Server-side, so that no routine name reaches the query builder.
 */
function lockDownRoutines(oids: string[]): string {
  return `DO $jit$
DECLARE
  routine record;
BEGIN
  FOR routine IN
    SELECT format('%I.%I(%s)', n.nspname, p.proname,
                  pg_catalog.pg_get_function_identity_arguments(p.oid)) AS name,
           (SELECT string_agg(DISTINCT quote_ident(g.rolname), ', ')
              FROM pg_catalog.aclexplode(p.proacl) a
              JOIN pg_catalog.pg_roles g ON g.oid = a.grantee
             WHERE a.grantee <> p.proowner) AS grantees
      FROM pg_catalog.pg_proc p
      JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
     WHERE p.oid IN (${oids.join(', ')})
  LOOP
    EXECUTE format('REVOKE ALL ON ROUTINE %s FROM PUBLIC%s CASCADE',
                   routine.name, coalesce(', ' || routine.grantees, ''));
  END LOOP;
END
$jit$`;
}

/** Drops what the role owns in this database, or hands it to the quarantine role. */
async function disposeOwnedObjects(
  trx: Knex.Transaction,
  database: PostgresDatabaseConfig,
  identity: RoleIdentity,
  role: string,
): Promise<string> {
  const quoted = quoteIdentifier(role);
  const mode = database.onOwnedObjects ?? 'drop';
  // Both statements need the role's privileges; the membership ends with the transaction's
  // DROP ROLE (or REVOKE, in the module's other databases).
  await exec(trx, `GRANT ${quoted} TO CURRENT_USER`);
  if (mode === 'quarantine') {
    const quarantine = database.quarantineRole;
    if (!quarantine) {
      throw new ProvisioningError(
        `onOwnedObjects of ${
          database.resource
        } is quarantine but no quarantineRole is configured; ${notDropped(
          role,
        )}`,
        { permanent: true },
      );
    }
    await assertPowerless(trx, database, quarantine, role);
    const routines = await trx.raw(
      `select oid::text as oid from pg_catalog.pg_proc where proowner = ?::oid`,
      [identity.roleOid],
    );
    const oids = (routines.rows as { oid: string }[])
      .map(row => row.oid)
      .filter(oid => /^\d+$/.test(oid));
    await exec(
      trx,
      `REASSIGN OWNED BY ${quoted} TO ${quoteIdentifier(quarantine)}`,
      failure =>
        failure.code === '42501'
          ? new ProvisioningError(
              `Could not hand what database role ${role} owns in ${
                identity.database
              } to the quarantine role ${quarantine}: ${
                failure.message
              }. The quarantine role needs CREATE on each schema where logins can create objects, or set onOwnedObjects: drop; ${notDropped(
                role,
              )}`,
              { permanent: true },
            )
          : undefined,
    );
    if (oids.length > 0) {
      await exec(trx, lockDownRoutines(oids));
    }
  }
  const done =
    mode === 'quarantine'
      ? `handed what it owned in ${identity.database} to ${database.quarantineRole}`
      : `dropped what it owned in ${identity.database}`;
  // Drops what it still owns (nothing, after REASSIGN) and revokes what it was granted. Never
  // CASCADE: objects of other roles that depend on the role's are not the module's to drop.
  await exec(trx, `DROP OWNED BY ${quoted}`, failure =>
    failure.code === '2BP01'
      ? new ProvisioningError(
          `Could not drop what database role ${role} owns in ${
            identity.database
          }: ${failure.message}${
            failure.detail ? ` (${failure.detail.replace(/\n/g, '; ')})` : ''
          }. Drop or change the objects that depend on it; ${notDropped(role)}`,
          { permanent: true },
        )
      : undefined,
  );
  return done;
}

/**
 * Drops the login role and what it owns: in its own database, and in the module's other
 * databases of the same cluster, each as that database's `onOwnedObjects` says. Fails
 * permanently, before changing anything, when the role owns objects or holds privileges in a
 * database the module does not manage. Never hands anything to the connection user.
 */
export async function dropLoginRole(options: {
  role: string;
  /** The grant's database, where the role is dropped. */
  home: ManagedDatabase;
  /** The module's other databases. */
  others: ManagedDatabase[];
}): Promise<DroppedLoginRole> {
  const { role, home, others } = options;
  const quoted = quoteIdentifier(role);
  const homeDb = home.pool();
  const identity = await identify(homeDb, role);
  if (!identity) {
    return { dropped: false, disposed: [] };
  }
  const dependencies = await dependentDatabases(homeDb, identity.roleOid);
  const elsewhere: ManagedDatabase[] = [];
  const unmanaged: string[] = [];
  for (const dependency of dependencies) {
    if (dependency.oid === '0' || dependency.oid === identity.databaseOid) {
      continue;
    }
    const managed = await managedDatabase(
      others,
      dependency,
      role,
      identity.roleOid,
    );
    if (managed) {
      elsewhere.push(managed);
    } else {
      unmanaged.push(
        dependency.name ? `"${dependency.name}"` : `oid ${dependency.oid}`,
      );
    }
  }
  if (unmanaged.length > 0) {
    throw new ProvisioningError(
      `Database role ${role} owns objects or holds privileges in database ${unmanaged.join(
        ', ',
      )}, which access.postgres does not manage, so ${notDropped(
        role,
      )}. Remove what it has there (for example DROP OWNED BY ${quoted} in each, never handing it to a role with privileges), then revoke again`,
      { permanent: true },
    );
  }
  const disposed: DroppedLoginRole['disposed'] = [];
  for (const database of elsewhere) {
    await database.pool().transaction(async trx => {
      const there = (await identify(trx, role))!;
      disposed.push(
        await disposeOwnedObjects(trx, database.config, there, role),
      );
      await exec(trx, `REVOKE ${quoted} FROM CURRENT_USER`);
    });
  }
  const ownsHere = dependencies.some(
    dependency =>
      dependency.oid === '0' || dependency.oid === identity.databaseOid,
  );
  await homeDb.transaction(async trx => {
    if (ownsHere) {
      disposed.push(
        await disposeOwnedObjects(trx, home.config, identity, role),
      );
    }
    await exec(trx, `DROP ROLE IF EXISTS ${quoted}`, failure =>
      failure.code === '2BP01'
        ? new ProvisioningError(
            `Database role ${role} still owns objects or holds privileges after they were removed (${failure.message}); it will be tried again`,
            { permanent: false },
          )
        : undefined,
    );
  });
  return { dropped: true, disposed };
}
