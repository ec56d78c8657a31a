import {
  expectPasswordAccepted,
  expectPasswordRefused,
  GranteeSessions,
} from './__testUtils__/checks';
import { canLogIn, storedPasswordMatches } from './__testUtils__/logins';
import { ScratchDatabase, testPostgresUrl } from './__testUtils__/postgres';
import { testContext, testTarget } from './__testUtils__/targets';
import { createPostgresProvisioner, PostgresProvisioner } from './provisioner';

// Creating and dropping a scratch database on a busy server can take longer than Jest's 5 s.
jest.setTimeout(60_000);

const url = testPostgresUrl();
const describeWithPostgres = url ? describe : describe.skip;

describeWithPostgres(
  'PostgreSQL provisioner: grant, revoke and observe (real server)',
  () => {
    let db: ScratchDatabase;
    let provisioner: PostgresProvisioner;
    const sessions = new GranteeSessions();

    beforeAll(async () => {
      db = new ScratchDatabase(url!);
      await db.create();
      provisioner = createPostgresProvisioner({
        config: db.provisionerConfig(),
      });
    });

    afterAll(async () => {
      await sessions.endAll();
      await provisioner?.close();
      await db?.destroy();
    });

    it('grants a login that can read but not write with `read`, valid until the end', async () => {
      const t = testTarget();
      const result = await provisioner.grant(t, testContext());

      const user = db.loginRoleOf(t.grantId);
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
      await expectPasswordAccepted(db, user, password);

      const role = await db.role(user);
      expect(role).toMatchObject({
        rolcanlogin: true,
        member_of: [db.readRole],
      });
      expect(role!.rolvaliduntil!.toISOString()).toBe(t.endsAt);
      expect(JSON.parse(role!.comment!)).toMatchObject({
        grantId: t.grantId,
        requestId: t.requestId,
        granteeRef: t.granteeRef,
        resourceRef: t.resourceRef,
        permission: 'read',
      });

      const client = await sessions.open(result.credentials);
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
      const client = await sessions.open(result.credentials);
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
        db.checksPasswords ? await canLogIn(db.login(user, password)) : false,
      ).toBe(false);
    });

    it('is idempotent: a retried grant renews the same role', async () => {
      const t = testTarget();
      const first = await provisioner.grant(t, testContext());
      const retried = await provisioner.grant(t, testContext());

      expect(retried.externalId).toBe(first.externalId);
      const user = retried.externalId;
      expect((await db.role(user))!.member_of).toEqual([db.readRole]);
      await expectPasswordAccepted(db, user, retried.credentials.password);
      await expectPasswordRefused(db, user, first.credentials.password);
      const client = await sessions.open(retried.credentials);
      expect(
        (await client.query('select count(*)::int as n from items')).rows,
      ).toEqual([{ n: 1 }]);
    });

    it('revokes: ends the open session of the role and drops it; revoking again succeeds', async () => {
      const t = testTarget();
      const granted = await provisioner.grant(t, testContext());
      const user = granted.externalId;
      const client = await sessions.open(granted.credentials);
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
      expect(await canLogIn(db.login(user, granted.credentials.password))).toBe(
        false,
      );

      await expect(
        provisioner.revoke({ ...t, externalId: user }, testContext()),
      ).resolves.toBeUndefined();
      // Without the external id, the role name is derived from the grant id.
      await expect(
        provisioner.revoke(t, testContext()),
      ).resolves.toBeUndefined();
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

        await fresh.revoke(
          { ...read, externalId: a.externalId },
          testContext(),
        );
        expect(
          (await fresh.observe(testContext())).map(access => access.grantId),
        ).toEqual([write.grantId]);
      } finally {
        await fresh.close();
      }
    });
  },
);
