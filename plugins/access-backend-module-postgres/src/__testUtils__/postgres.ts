import { randomBytes } from 'node:crypto';
import { knex as createKnex, Knex } from 'knex';
import { PostgresProvisionerConfig } from '../config';
import { canLogIn, LoginDetails } from './logins';

const CONNECTION_VARIABLE =
  /^BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING$/;

/**
 * The PostgreSQL server to test against, from Backstage's
 * `BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING` variables (the newest version when
 * there are several). With `JIT_ACCESS_REQUIRE_POSTGRES` set, a missing server fails the tests
 * instead of skipping them.
 */
export function testPostgresUrl(): string | undefined {
  const urls = Object.entries(process.env)
    .map(([name, value]) => ({ match: CONNECTION_VARIABLE.exec(name), value }))
    .filter(({ match, value }) => match && value)
    .sort((a, b) => Number(b.match![1]) - Number(a.match![1]))
    .map(({ value }) => value!);
  if (urls.length === 0 && process.env.JIT_ACCESS_REQUIRE_POSTGRES) {
    throw new Error(
      'JIT_ACCESS_REQUIRE_POSTGRES is set but no BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING is',
    );
  }
  return urls[0];
}

function parseUrl(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || 'postgres',
  };
}

/**
 * A database of its own for one test file, with a table `items`, a read-only role and a
 * read-write role, and a manager login with only the privileges the README asks for. Roles are
 * global in a cluster, so everything is named with a random suffix and dropped in `destroy`.
 */
export class ScratchDatabase {
  readonly suffix = randomBytes(4).toString('hex');
  readonly databaseName = `jit_test_${this.suffix}`;
  /** Deliberately awkward (quotes, spaces, capitals) to prove identifiers are quoted. */
  readonly readRole = `jit_test_${this.suffix} Read "only"`;
  readonly writeRole = `jit_test_${this.suffix}_rw`;
  readonly managerRole = `jit_test_${this.suffix}_manager`;
  readonly managerPassword = randomBytes(12).toString('hex');
  /** Not created here: the tests that need a quarantine role make it as they need it. */
  readonly quarantineRole = `jit_test_${this.suffix}_quarantine`;
  /** Prefix of the provisioner's login roles in these tests. */
  readonly rolePrefix = `jt${this.suffix}_`;
  readonly server: ReturnType<typeof parseUrl>;
  /** Superuser connection to the server's own database. */
  readonly cluster: Knex;
  /** Superuser connection to the scratch database. */
  admin!: Knex;
  serverVersion = 0;
  /** Databases made by {@link ScratchDatabase.createDatabase}, dropped in `destroy`. */
  private readonly extraDatabases: { name: string; admin: Knex }[] = [];
  /** False when the server lets anyone in without checking passwords (`trust`). */
  checksPasswords = false;

  constructor(url: string) {
    this.server = parseUrl(url);
    this.cluster = createKnex({
      client: 'pg',
      connection: url,
      pool: { min: 0, max: 2 },
    });
  }

  async create() {
    const version = await this.cluster.raw('show server_version_num');
    this.serverVersion = Math.floor(
      Number(version.rows[0].server_version_num) / 10000,
    );
    await this.cluster.raw(`CREATE DATABASE "${this.databaseName}"`);
    this.admin = createKnex({
      client: 'pg',
      connection: { ...this.server, database: this.databaseName },
      pool: { min: 0, max: 2 },
    });
    const read = this.quote(this.readRole);
    const write = this.quote(this.writeRole);
    const manager = this.quote(this.managerRole);
    await this.admin.raw(
      'CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL)',
    );
    await this.admin.raw(`INSERT INTO items VALUES (1, 'first')`);
    await this.admin.raw(`CREATE ROLE ${read} NOLOGIN`);
    await this.admin.raw(`CREATE ROLE ${write} NOLOGIN`);
    await this.admin.raw(`GRANT USAGE ON SCHEMA public TO ${read}, ${write}`);
    await this.admin.raw(`GRANT SELECT ON items TO ${read}`);
    await this.admin.raw(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON items TO ${write}`,
    );
    // The manager the provisioner connects as: no superuser, just what the README documents.
    await this.admin.raw(
      `CREATE ROLE ${manager} LOGIN CREATEROLE PASSWORD '${this.managerPassword}'`,
    );
    await this.admin.raw(`GRANT pg_signal_backend TO ${manager}`);
    if (this.serverVersion >= 16) {
      await this.admin.raw(
        `GRANT ${read}, ${write} TO ${manager} WITH ADMIN OPTION`,
      );
    }
    // The test setup (scripts/lib/postgres.sh) makes a local server check passwords for the
    // members of this group; logins made for the test roles inherit the membership.
    const checked = await this.admin.raw(
      `SELECT 1 FROM pg_roles WHERE rolname = 'jit_access_password_checked'`,
    );
    if (checked.rows.length > 0) {
      await this.admin.raw(
        `GRANT jit_access_password_checked TO ${read}, ${write}, ${manager}`,
      );
    }
    this.checksPasswords = !(await canLogIn({
      ...this.server,
      database: this.databaseName,
      user: this.managerRole,
      password: 'not-the-password',
    }));
  }

  /**
   * Another database in the same cluster, named after the scratch database; returns a superuser
   * connection to it. Dropped in `destroy`.
   */
  async createDatabase(name: string): Promise<{ name: string; admin: Knex }> {
    const full = `${this.databaseName}_${name}`;
    await this.cluster.raw(`CREATE DATABASE "${full}"`);
    const admin = createKnex({
      client: 'pg',
      connection: { ...this.server, database: full },
      pool: { min: 0, max: 2 },
    });
    const extra = { name: full, admin };
    this.extraDatabases.push(extra);
    return extra;
  }

  /**
   * A login role named `jit_test_<suffix>_<name>` with nothing but what PUBLIC has (and, when the
   * test setup checks passwords, membership in the password-checked group, which holds nothing).
   */
  async createLogin(name: string) {
    const user = `jit_test_${this.suffix}_${name}`;
    const password = randomBytes(12).toString('hex');
    await this.admin.raw(
      `CREATE ROLE ${this.quote(user)} LOGIN PASSWORD '${password}'`,
    );
    const checked = await this.admin.raw(
      `SELECT 1 FROM pg_roles WHERE rolname = 'jit_access_password_checked'`,
    );
    if (checked.rows.length > 0) {
      await this.admin.raw(
        `GRANT jit_access_password_checked TO ${this.quote(user)}`,
      );
    }
    return {
      host: this.server.host,
      port: this.server.port,
      database: this.databaseName,
      user,
      password,
    };
  }

  /** Login details for the scratch database, as a grantee would connect. */
  login(user: string, password: string): LoginDetails {
    return {
      host: this.server.host,
      port: this.server.port,
      database: this.databaseName,
      user,
      password,
    };
  }

  /** The login role the provisioner makes for a grant id of the plain kind (a UUID). */
  loginRoleOf(grantId: string): string {
    return `${this.rolePrefix}${grantId.replace(/-/g, '')}`;
  }

  quote(identifier: string) {
    return `"${identifier.replace(/"/g, '""')}"`;
  }

  /** Provisioner config for the scratch database, connecting as the manager. */
  provisionerConfig(
    overrides: Partial<PostgresProvisionerConfig> = {},
  ): PostgresProvisionerConfig {
    return {
      id: 'postgres',
      rolePrefix: this.rolePrefix,
      databases: [
        {
          resource: 'resource:default/payments-db',
          connection: {
            host: this.server.host,
            port: this.server.port,
            user: this.managerRole,
            password: this.managerPassword,
            database: this.databaseName,
          },
          permissions: { read: this.readRole, write: this.writeRole },
        },
      ],
      ...overrides,
    };
  }

  async role(name: string) {
    const result = await this.admin.raw(
      `select rolname, rolcanlogin, rolvaliduntil,
              shobj_description(oid, 'pg_authid') as comment,
              array(select b.rolname::text from pg_catalog.pg_auth_members m
                      join pg_catalog.pg_roles b on b.oid = m.roleid
                     where m.member = r.oid order by 1) as member_of
         from pg_catalog.pg_roles r where rolname = ?`,
      [name],
    );
    return result.rows[0] as
      | {
          rolname: string;
          rolcanlogin: boolean;
          rolvaliduntil: Date | null;
          comment: string | null;
          member_of: string[];
        }
      | undefined;
  }

  /** Whether the server process of a session still exists. */
  async backendAlive(pid: number): Promise<boolean> {
    const result = await this.admin.raw(
      'select count(*) as count from pg_catalog.pg_stat_activity where pid = ?',
      [pid],
    );
    return Number(result.rows[0].count) > 0;
  }

  /** Sessions logged in as the role (a dropped role's sessions no longer show its name). */
  async sessionsOf(role: string): Promise<number> {
    const result = await this.admin.raw(
      'select count(*) as count from pg_catalog.pg_stat_activity where usename = ?',
      [role],
    );
    return Number(result.rows[0].count);
  }

  async destroy() {
    if (this.admin) {
      await this.admin.destroy();
    }
    for (const extra of this.extraDatabases) {
      await extra.admin.destroy();
    }
    // Every role of this file: the login roles (the prefix) and the ones named jit_test_<suffix>…
    const roles = await this.cluster.raw(
      `select rolname from pg_catalog.pg_roles
        where left(rolname, ?) = ? or left(rolname, ?) = ?`,
      [
        this.rolePrefix.length,
        this.rolePrefix,
        this.databaseName.length,
        this.databaseName,
      ],
    );
    const names: string[] = roles.rows.map(
      (row: { rolname: string }) => row.rolname,
    );
    const databases = [
      ...this.extraDatabases.map(extra => extra.name),
      this.databaseName,
    ];
    await this.cluster.raw(
      `select pg_terminate_backend(pid) from pg_catalog.pg_stat_activity
        where datname = any(?) or usename = any(?)`,
      [databases, names],
    );
    for (const database of databases) {
      await this.cluster.raw(
        this.serverVersion >= 13
          ? `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`
          : `DROP DATABASE IF EXISTS "${database}"`,
      );
    }
    // Login roles first, the manager (grantor of their memberships) last.
    const ordered = [
      ...names.filter(name => name !== this.managerRole),
      ...names.filter(name => name === this.managerRole),
    ];
    for (const name of ordered) {
      await this.cluster.raw(`DROP ROLE IF EXISTS ${this.quote(name)}`);
    }
    await this.cluster.destroy();
  }
}
