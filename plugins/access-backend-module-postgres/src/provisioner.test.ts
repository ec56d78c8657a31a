import {
  isPermanentProvisioningError,
  ProvisioningError,
} from '@jit-access/plugin-access-node';
import {
  canLogIn,
  connectAs,
  PgClient,
  ScratchDatabase,
  storedPasswordMatches,
  testPostgresUrl,
} from './__testUtils__/postgres';
import { testContext, testTarget } from './__testUtils__/targets';
import { createPostgresProvisioner, PostgresProvisioner } from './provisioner';

// Creating and dropping a scratch database on a busy server can take longer than Jest's 5 s.
jest.setTimeout(60_000);

const url = testPostgresUrl();
const describeWithPostgres = url ? describe : describe.skip;

/** Expects the rejection to be a ProvisioningError and returns it. */
async function provisioningError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProvisioningError);
  return error as ProvisioningError;
}

describeWithPostgres('PostgreSQL provisioner (real server)', () => {
  let db: ScratchDatabase;
  let provisioner: PostgresProvisioner;
  const sessions: PgClient[] = [];

  beforeAll(async () => {
    db = new ScratchDatabase(url!);
    await db.create();
    provisioner = createPostgresProvisioner({ config: db.provisionerConfig() });
  });

  afterAll(async () => {
    await Promise.all(sessions.map(s => s.end().catch(() => {})));
    await provisioner?.close();
    await db?.destroy();
  });

  async function session(credentials: Record<string, string>) {
    const client = await connectAs({
      host: credentials.host,
      port: credentials.port,
      database: credentials.database,
      user: credentials.user,
      password: credentials.password,
    });
    sessions.push(client);
    return client;
  }

  function login(user: string, password: string) {
    return {
      host: db.server.host,
      port: db.server.port,
      database: db.databaseName,
      user,
      password,
    };
  }

  /** The password is the one stored for the role, and it logs in. */
  async function expectPasswordAccepted(user: string, password: string) {
    expect(await storedPasswordMatches(db.admin, user, password)).toBe(true);
    expect(await canLogIn(login(user, password))).toBe(true);
  }

  /**
   * The password is not the one stored for the role. A server that checks passwords must refuse
   * it; one that trusts every local connection (`trust` in pg_hba.conf) lets any password in, so
   * there the stored verifier is what proves it.
   */
  async function expectPasswordRefused(user: string, password: string) {
    expect(await storedPasswordMatches(db.admin, user, password)).toBe(false);
    expect(
      db.checksPasswords ? await canLogIn(login(user, password)) : false,
    ).toBe(false);
  }

  it('grants a login that can read but not write with `read`, valid until the end', async () => {
    const t = testTarget();
    const result = await provisioner.grant(t, testContext());

    const user = `${db.rolePrefix}${t.grantId.replace(/-/g, '')}`;
    expect(result).toEqual({
      externalId: user,
      credentials: {
        host: db.server.host,
        port: String(db.server.port),
        database: db.databaseName,
        user,
        password: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      },
    });
    const { password } = result.credentials;
    await expectPasswordAccepted(user, password);

    const role = await db.role(user);
    expect(role).toMatchObject({ rolcanlogin: true, member_of: [db.readRole] });
    expect(role!.rolvaliduntil!.toISOString()).toBe(t.endsAt);
    expect(JSON.parse(role!.comment!)).toMatchObject({
      grantId: t.grantId,
      requestId: t.requestId,
      granteeRef: t.granteeRef,
      resourceRef: t.resourceRef,
      permission: 'read',
    });

    const client = await session(result.credentials);
    const rows = await client.query('select id, name from items');
    expect(rows.rows).toEqual([{ id: 1, name: 'first' }]);
    await expect(
      client.query(`insert into items values (2, 'second')`),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      client.query('create table mine (id integer)'),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('grants a login that can write with `write`', async () => {
    const result = await provisioner.grant(
      testTarget({ permission: 'write' }),
      testContext(),
    );
    const client = await session(result.credentials);
    await client.query(`insert into items values (100, 'written')`);
    await client.query('delete from items where id = 100');
    expect((await db.role(result.externalId))!.member_of).toEqual([
      db.writeRole,
    ]);
  });

  it('keeps the password out of the server: only a SCRAM verifier is sent', async () => {
    const result = await provisioner.grant(testTarget(), testContext());
    const stored = await db.admin.raw(
      'select rolpassword from pg_catalog.pg_authid where rolname = ?',
      [result.externalId],
    );
    expect(stored.rows[0].rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(stored.rows[0].rolpassword).not.toContain(
      result.credentials.password,
    );
  });

  it('makes a login whose end has passed that the database refuses', async () => {
    const now = Date.now();
    const t = testTarget({
      startsAt: new Date(now - 2 * 60 * 60 * 1000).toISOString(),
      endsAt: new Date(now - 60 * 60 * 1000).toISOString(),
    });
    const result = await provisioner.grant(t, testContext());
    const { user, password } = result.credentials;

    // PostgreSQL refuses a password login after VALID UNTIL (a trusting server asks for none).
    const expired = await db.admin.raw(
      'select rolvaliduntil < now() as expired from pg_catalog.pg_roles where rolname = ?',
      [user],
    );
    expect(expired.rows[0].expired).toBe(true);
    expect(await storedPasswordMatches(db.admin, user, password)).toBe(true);
    expect(
      db.checksPasswords ? await canLogIn(login(user, password)) : false,
    ).toBe(false);
  });

  it('is idempotent: a retried grant renews the same role', async () => {
    const t = testTarget();
    const first = await provisioner.grant(t, testContext());
    const retried = await provisioner.grant(t, testContext());

    expect(retried.externalId).toBe(first.externalId);
    const user = retried.externalId;
    expect((await db.role(user))!.member_of).toEqual([db.readRole]);
    await expectPasswordAccepted(user, retried.credentials.password);
    await expectPasswordRefused(user, first.credentials.password);
    const client = await session(retried.credentials);
    expect(
      (await client.query('select count(*)::int as n from items')).rows,
    ).toEqual([{ n: 1 }]);
  });

  it('revokes: ends the open session of the role and drops it; revoking again succeeds', async () => {
    const t = testTarget();
    const granted = await provisioner.grant(t, testContext());
    const user = granted.externalId;
    const client = await session(granted.credentials);
    const { pid } = (await client.query('select pg_backend_pid() as pid'))
      .rows[0];
    const ended = new Promise<void>(resolve => client.once('end', resolve));
    expect(await db.sessionsOf(user)).toBe(1);

    await provisioner.revoke({ ...t, externalId: user }, testContext());

    // Dropping a role leaves its sessions running: revoke must have ended this one.
    expect(await db.backendAlive(pid)).toBe(false);
    await ended;
    await expect(client.query('select 1')).rejects.toThrow();
    expect(await db.role(user)).toBeUndefined();
    expect(await canLogIn(login(user, granted.credentials.password))).toBe(
      false,
    );

    await expect(
      provisioner.revoke({ ...t, externalId: user }, testContext()),
    ).resolves.toBeUndefined();
    // Without the external id, the role name is derived from the grant id.
    await expect(provisioner.revoke(t, testContext())).resolves.toBeUndefined();
  });

  it('revokes a role that owns objects, dropping them rather than handing them to the connection user', async () => {
    const t = testTarget({ permission: 'write' });
    const granted = await provisioner.grant(t, testContext());
    const user = granted.externalId;
    const quoted = db.quote(user);
    await db.admin.raw(`CREATE TABLE owned_by_grant (id integer)`);
    await db.admin.raw(`ALTER TABLE owned_by_grant OWNER TO ${quoted}`);

    await provisioner.revoke({ ...t, externalId: user }, testContext());

    expect(await db.role(user)).toBeUndefined();
    const table = await db.admin.raw(
      `select pg_get_userbyid(relowner) as owner from pg_class where relname = 'owned_by_grant'`,
    );
    expect(table.rows).toEqual([]);
  });

  it('observes the live grants it made, with their grant ids', async () => {
    const fresh = createPostgresProvisioner({
      config: db.provisionerConfig({ rolePrefix: `${db.rolePrefix}obs_` }),
    });
    try {
      const read = testTarget({ granteeRef: 'user:default/lee' });
      const write = testTarget({ permission: 'write' });
      const a = await fresh.grant(read, testContext());
      const b = await fresh.grant(write, testContext());
      // A role with the prefix that this module did not make is not reported.
      await db.admin.raw(
        `CREATE ROLE ${db.quote(`${db.rolePrefix}obs_someone_else`)} NOLOGIN`,
      );

      const observed = await fresh.observe(testContext());
      expect(observed).toEqual(
        expect.arrayContaining([
          {
            resourceRef: 'resource:default/payments-db',
            permission: 'read',
            granteeRef: 'user:default/lee',
            grantId: read.grantId,
            externalId: a.externalId,
          },
          {
            resourceRef: 'resource:default/payments-db',
            permission: 'write',
            granteeRef: 'user:default/dana',
            grantId: write.grantId,
            externalId: b.externalId,
          },
        ]),
      );
      expect(observed).toHaveLength(2);

      await fresh.revoke({ ...read, externalId: a.externalId }, testContext());
      expect(
        (await fresh.observe(testContext())).map(access => access.grantId),
      ).toEqual([write.grantId]);
    } finally {
      await fresh.close();
    }
  });

  it('resets the password: the old one stops working, the new one works, open sessions end', async () => {
    const t = testTarget();
    const granted = await provisioner.grant(t, testContext());
    const user = granted.externalId;
    const client = await session(granted.credentials);
    const { pid } = (await client.query('select pg_backend_pid() as pid'))
      .rows[0];
    const ended = new Promise<void>(resolve => client.once('end', resolve));

    const reset = await provisioner.resetCredentials(
      { ...t, externalId: user },
      testContext(),
    );

    expect(reset).toEqual({
      ...granted.credentials,
      password: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
    });
    expect(reset.password).not.toBe(granted.credentials.password);
    expect(await db.backendAlive(pid)).toBe(false);
    await ended;
    await expectPasswordAccepted(user, reset.password);
    await expectPasswordRefused(user, granted.credentials.password);
    const again = await session(reset);
    expect((await again.query('select name from items')).rows).toEqual([
      { name: 'first' },
    ]);
  });

  it('refuses to reset the password of a revoked grant, permanently', async () => {
    const t = testTarget();
    const granted = await provisioner.grant(t, testContext());
    await provisioner.revoke(
      { ...t, externalId: granted.externalId },
      testContext(),
    );
    const error = await provisioningError(
      provisioner.resetCredentials(
        { ...t, externalId: granted.externalId },
        testContext(),
      ),
    );
    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(/no longer exists/);
  });

  it('extends: moves VALID UNTIL and the end in the comment, keeping the password and open sessions', async () => {
    const t = testTarget();
    const granted = await provisioner.grant(t, testContext());
    const user = granted.externalId;
    const client = await session(granted.credentials);
    const { pid } = (await client.query('select pg_backend_pid() as pid'))
      .rows[0];
    const before = await db.role(user);
    const newEnd = new Date(
      Date.parse(t.endsAt) + 2 * 60 * 60 * 1000,
    ).toISOString();

    await provisioner.extend(
      { ...t, endsAt: newEnd, externalId: user },
      testContext(),
    );

    const after = await db.role(user);
    expect(after!.rolvaliduntil!.toISOString()).toBe(newEnd);
    expect(JSON.parse(after!.comment!)).toEqual({
      ...JSON.parse(before!.comment!),
      endsAt: newEnd,
    });
    expect(after).toMatchObject({
      rolcanlogin: true,
      member_of: [db.readRole],
    });
    // The same credentials keep working, and the open session was left alone.
    expect(await db.backendAlive(pid)).toBe(true);
    expect((await client.query('select name from items')).rows).toEqual([
      { name: 'first' },
    ]);
    await expectPasswordAccepted(user, granted.credentials.password);

    // Idempotent: extending again to the same end changes nothing.
    await provisioner.extend(
      { ...t, endsAt: newEnd, externalId: user },
      testContext(),
    );
    expect(await db.role(user)).toEqual(after);
    await expectPasswordAccepted(user, granted.credentials.password);
  });

  it('extends a login whose end has passed, so the database lets it in again', async () => {
    const now = Date.now();
    const t = testTarget({
      startsAt: new Date(now - 2 * 60 * 60 * 1000).toISOString(),
      endsAt: new Date(now - 60 * 60 * 1000).toISOString(),
    });
    const granted = await provisioner.grant(t, testContext());
    const { user, password } = granted.credentials;
    expect(
      db.checksPasswords ? await canLogIn(login(user, password)) : false,
    ).toBe(false);

    // Without the external id, the role name is derived from the grant id.
    const newEnd = new Date(now + 60 * 60 * 1000).toISOString();
    await provisioner.extend({ ...t, endsAt: newEnd }, testContext());

    expect((await db.role(user))!.rolvaliduntil!.toISOString()).toBe(newEnd);
    await expectPasswordAccepted(user, password);
  });

  it('keeps a comment without an end as it is when extending', async () => {
    const t = testTarget();
    const granted = await provisioner.grant(t, testContext());
    const user = granted.externalId;
    const { endsAt: _dropped, ...withoutEnd } = JSON.parse(
      (await db.role(user))!.comment!,
    );
    await db.admin.raw(
      `COMMENT ON ROLE ${db.quote(user)} IS '${JSON.stringify(withoutEnd)}'`,
    );
    const newEnd = new Date(
      Date.parse(t.endsAt) + 60 * 60 * 1000,
    ).toISOString();

    await provisioner.extend(
      { ...t, endsAt: newEnd, externalId: user },
      testContext(),
    );

    const role = await db.role(user);
    expect(role!.rolvaliduntil!.toISOString()).toBe(newEnd);
    expect(JSON.parse(role!.comment!)).toEqual(withoutEnd);
  });

  it('refuses to extend a revoked grant, permanently', async () => {
    const t = testTarget();
    const granted = await provisioner.grant(t, testContext());
    await provisioner.revoke(
      { ...t, externalId: granted.externalId },
      testContext(),
    );
    const newEnd = new Date(
      Date.parse(t.endsAt) + 60 * 60 * 1000,
    ).toISOString();

    const error = await provisioningError(
      provisioner.extend(
        { ...t, endsAt: newEnd, externalId: granted.externalId },
        testContext(),
      ),
    );
    expect(error.permanent).toBe(true);
    expect(isPermanentProvisioningError(error)).toBe(true);
    expect(error.message).toMatch(/no longer exists/);
    expect(await db.role(granted.externalId)).toBeUndefined();
  });

  it('refuses to extend a grant whose revocation has begun, permanently', async () => {
    const t = testTarget();
    const granted = await provisioner.grant(t, testContext());
    const user = granted.externalId;
    await db.admin.raw(`ALTER ROLE ${db.quote(user)} NOLOGIN`);
    const before = await db.role(user);

    const error = await provisioningError(
      provisioner.extend(
        {
          ...t,
          endsAt: new Date(Date.parse(t.endsAt) + 60 * 60 * 1000).toISOString(),
          externalId: user,
        },
        testContext(),
      ),
    );
    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(/being revoked/);
    expect(await db.role(user)).toEqual(before);
  });

  it('refuses to extend to an end that is not a date, permanently', async () => {
    const t = testTarget();
    const granted = await provisioner.grant(t, testContext());
    const error = await provisioningError(
      provisioner.extend(
        { ...t, endsAt: 'someday', externalId: granted.externalId },
        testContext(),
      ),
    );
    expect(error.permanent).toBe(true);
    expect(
      (await db.role(granted.externalId))!.rolvaliduntil!.toISOString(),
    ).toBe(t.endsAt);
  });

  it('fails permanently for a permission or resource that is not configured', async () => {
    const unknownPermission = testTarget({ permission: 'admin' });
    const error = await provisioningError(
      provisioner.grant(unknownPermission, testContext()),
    );
    expect(error.permanent).toBe(true);
    expect(isPermanentProvisioningError(error)).toBe(true);
    expect(error.message).toMatch(/'admin' is not configured/);
    expect(
      await db.role(
        `${db.rolePrefix}${unknownPermission.grantId.replace(/-/g, '')}`,
      ),
    ).toBeUndefined();

    const unknownResource = await provisioningError(
      provisioner.grant(
        testTarget({ resourceRef: 'resource:default/other-db' }),
        testContext(),
      ),
    );
    expect(unknownResource.permanent).toBe(true);
    expect(unknownResource.message).toMatch(/resource:default\/other-db/);
  });

  it('fails permanently when the configured database role does not exist', async () => {
    const broken = createPostgresProvisioner({
      config: db.provisionerConfig({
        databases: [
          {
            ...db.provisionerConfig().databases[0],
            permissions: { read: `${db.rolePrefix}no_such_role` },
          },
        ],
      }),
    });
    try {
      const t = testTarget();
      const error = await provisioningError(broken.grant(t, testContext()));
      expect(error.permanent).toBe(true);
      // The transaction rolled back: no login role was left behind.
      expect(
        await db.role(`${db.rolePrefix}${t.grantId.replace(/-/g, '')}`),
      ).toBeUndefined();
    } finally {
      await broken.close();
    }
  });

  it('fails permanently without the privileges it needs, keeping the statement out of the error', async () => {
    const weak = `${db.rolePrefix}weak_manager`;
    await db.admin.raw(`CREATE ROLE ${db.quote(weak)} LOGIN PASSWORD 'weak'`);
    const base = db.provisionerConfig().databases[0];
    const unprivileged = createPostgresProvisioner({
      config: db.provisionerConfig({
        databases: [
          {
            ...base,
            connection: { ...base.connection, user: weak, password: 'weak' },
          },
        ],
      }),
    });
    try {
      const error = await provisioningError(
        unprivileged.grant(testTarget(), testContext()),
      );
      expect(error.permanent).toBe(true);
      expect(error.message).toMatch(/permission denied/);
      expect(error.message).toMatch(/privilege/);
      expect(error.message).not.toMatch(/SCRAM|PASSWORD|CREATE ROLE/);
    } finally {
      await unprivileged.close();
    }
  });

  it('leaves alone a role with its name that it did not create', async () => {
    const t = testTarget();
    const name = `${db.rolePrefix}${t.grantId.replace(/-/g, '')}`;
    await db.admin.raw(`CREATE ROLE ${db.quote(name)} NOLOGIN`);

    const grantError = await provisioningError(
      provisioner.grant(t, testContext()),
    );
    expect(grantError.permanent).toBe(true);
    const revokeError = await provisioningError(
      provisioner.revoke(t, testContext()),
    );
    expect(revokeError.permanent).toBe(true);
    const extendError = await provisioningError(
      provisioner.extend(
        {
          ...t,
          endsAt: new Date(Date.parse(t.endsAt) + 60 * 60 * 1000).toISOString(),
        },
        testContext(),
      ),
    );
    expect(extendError.permanent).toBe(true);
    expect(extendError.message).toMatch(/was not created for grant/);
    expect(await db.role(name)).toMatchObject({
      rolcanlogin: false,
      rolvaliduntil: null,
      member_of: [],
    });
  });

  it('shows the public host and port when configured', async () => {
    const base = db.provisionerConfig().databases[0];
    const proxied = createPostgresProvisioner({
      config: db.provisionerConfig({
        databases: [
          { ...base, publicHost: 'payments-db.example.com', publicPort: 6432 },
        ],
      }),
    });
    try {
      const result = await proxied.grant(testTarget(), testContext());
      expect(result.credentials).toMatchObject({
        host: 'payments-db.example.com',
        port: '6432',
        database: db.databaseName,
      });
    } finally {
      await proxied.close();
    }
  });

  it('does nothing once the call is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const t = testTarget();
    await expect(
      provisioner.grant(t, testContext(controller.signal)),
    ).rejects.toThrow('shutting down');
    expect(
      await db.role(`${db.rolePrefix}${t.grantId.replace(/-/g, '')}`),
    ).toBeUndefined();
  });

  it('reports an unreachable server as a transient error', async () => {
    const base = db.provisionerConfig().databases[0];
    const unreachable = createPostgresProvisioner({
      // Port 1 on this host: the connection is refused at once.
      config: db.provisionerConfig({
        databases: [{ ...base, connection: { ...base.connection, port: 1 } }],
      }),
    });
    try {
      const error = await unreachable.grant(testTarget(), testContext()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect(isPermanentProvisioningError(error)).toBe(false);
    } finally {
      await unreachable.close();
    }
  });
});
