import { ProvisioningError } from '@jit-access/plugin-access-node';
import { randomBytes } from 'node:crypto';
import { connectAs, LoginDetails, PgClient } from './__testUtils__/logins';
import { ScratchDatabase, testPostgresUrl } from './__testUtils__/postgres';
import { PostgresDatabaseConfig } from './config';
import { attackTarget, testContext } from './__testUtils__/targets';
import { createPostgresProvisioner, PostgresProvisioner } from './provisioner';

const url = testPostgresUrl();
const describeWithPostgres = url ? describe : describe.skip;

/** What a grantee planted: two functions that would hand out roles if they ran as the manager. */
interface Planted {
  /** `mint(name)`: `CREATE ROLE name LOGIN PASSWORD …`. */
  mint: string;
  /** `join()`: grants the resource's write role to whoever calls it. */
  join: string;
  table: string;
  /** The login `mint` is asked to create. */
  minted: string;
}

/** The SQLSTATE a call failed with, or `ran`. */
async function outcome(client: PgClient, sql: string, values?: unknown[]) {
  return client.query(sql, values).then(
    () => 'ran',
    (error: { code?: string }) => error.code ?? 'no code',
  );
}

describeWithPostgres(
  'PostgreSQL provisioner: what a revoked login owned (real server)',
  () => {
    let db: ScratchDatabase;
    let bystander: LoginDetails;
    let other: { name: string; admin: ScratchDatabase['admin'] };
    const clients: PgClient[] = [];
    const provisioners: PostgresProvisioner[] = [];

    beforeAll(async () => {
      db = new ScratchDatabase(url!);
      await db.create();
      // CREATE in some schema is all the attack needs (PostgreSQL 15 no longer gives everyone
      // CREATE on public, so the write role gets it here, in this database and in another one).
      const write = db.quote(db.writeRole);
      await db.admin.raw(`GRANT CREATE ON SCHEMA public TO ${write}`);
      other = await db.createDatabase('other');
      await other.admin.raw(`GRANT CREATE ON SCHEMA public TO ${write}`);
      // Another login with nothing but what PUBLIC has.
      bystander = await db.createLogin('bystander');
    });

    afterAll(async () => {
      await Promise.all(clients.map(client => client.end().catch(() => {})));
      await Promise.all(provisioners.map(provisioner => provisioner.close()));
      await db?.destroy();
    });

    function provisionerWith(
      overrides: Partial<PostgresDatabaseConfig> = {},
      more: PostgresDatabaseConfig[] = [],
    ) {
      const base = db.provisionerConfig().databases[0];
      const provisioner = createPostgresProvisioner({
        config: db.provisionerConfig({
          databases: [{ ...base, ...overrides }, ...more],
        }),
      });
      provisioners.push(provisioner);
      return provisioner;
    }

    async function connect(login: LoginDetails) {
      const client = await connectAs(login);
      clients.push(client);
      return client;
    }

    /** Grants `write` and, as the grantee, plants the functions in schema public of `database`. */
    async function grantAndPlant(
      provisioner: PostgresProvisioner,
      database = db.databaseName,
    ) {
      const t = attackTarget();
      const granted = await provisioner.grant(t, testContext());
      const tag = randomBytes(4).toString('hex');
      const planted: Planted = {
        mint: `mint_login_${tag}`,
        join: `join_resource_${tag}`,
        table: `notes_${tag}`,
        minted: `jit_test_${db.suffix}_minted_${tag}`,
      };
      const { host, port, user, password } = granted.credentials;
      const grantee = await connect({ host, port, user, password, database });
      await grantee.query(
        `CREATE FUNCTION public.${planted.mint}(name text) RETURNS text
           LANGUAGE plpgsql SECURITY DEFINER AS $$
           BEGIN
             EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', name, 'minted');
             RETURN current_user;
           END $$`,
      );
      await grantee.query(
        `CREATE FUNCTION public.${planted.join}() RETURNS text
           LANGUAGE plpgsql SECURITY DEFINER AS $$
           BEGIN
             EXECUTE format('GRANT %I TO %I', '${db.writeRole}', session_user);
             RETURN current_user;
           END $$`,
      );
      // Granted to the bystander by name too, not only through PUBLIC.
      await grantee.query(
        `GRANT EXECUTE ON FUNCTION public.${planted.join}() TO ${db.quote(
          bystander.user,
        )}`,
      );
      await grantee.query(`CREATE TABLE public.${planted.table} (note text)`);
      await grantee.query(
        `INSERT INTO public.${planted.table} VALUES ('kept')`,
      );
      await grantee.end();
      // While granted, anyone can call them; they run as the grantee, who cannot hand out roles.
      expect(await attempts(planted, database)).toEqual({
        mint: '42501',
        join: '42501',
      });
      return { t, granted, planted, user: granted.externalId };
    }

    /** What the bystander gets calling the planted functions. */
    async function attempts(planted: Planted, database = db.databaseName) {
      const client = await connect({ ...bystander, database });
      const result = {
        mint: await outcome(client, `select public.${planted.mint}($1)`, [
          planted.minted,
        ]),
        join: await outcome(client, `select public.${planted.join}()`),
      };
      await client.end();
      return result;
    }

    /** No login was minted and the bystander did not get the resource's role. */
    async function expectNoRoleGained(planted: Planted) {
      expect(await db.role(planted.minted)).toBeUndefined();
      expect((await db.role(bystander.user))!.member_of).not.toContain(
        db.writeRole,
      );
    }

    async function ownerOf(admin: ScratchDatabase['admin'], name: string) {
      const result = await admin.raw(
        `select pg_get_userbyid(proowner) as owner from pg_proc where proname = ?
         union all
         select pg_get_userbyid(relowner) from pg_class where relname = ?`,
        [name, name],
      );
      return result.rows.map((row: { owner: string }) => row.owner);
    }

    it('drops (by default) the SECURITY DEFINER functions a grantee planted, so nobody can gain a role with them after the revoke', async () => {
      const provisioner = provisionerWith();
      const { t, planted, user } = await grantAndPlant(provisioner);

      await provisioner.revoke({ ...t, externalId: user }, testContext());

      // The bystander (holding only what PUBLIC holds) finds nothing to call...
      expect(await attempts(planted)).toEqual({ mint: '42883', join: '42883' });
      await expectNoRoleGained(planted);
      // ...because it was dropped, not handed to the manager (or anyone).
      expect(await db.role(user)).toBeUndefined();
      for (const name of [planted.mint, planted.join, planted.table]) {
        expect(await ownerOf(db.admin, name)).toEqual([]);
      }
    });

    describe('with a quarantine role', () => {
      beforeAll(async () => {
        const quarantine = db.quote(db.quarantineRole);
        await db.admin.raw(`CREATE ROLE ${quarantine} NOLOGIN`);
        await db.admin.raw(
          `GRANT ${quarantine} TO ${db.quote(db.managerRole)}`,
        );
        await db.admin.raw(`GRANT CREATE ON SCHEMA public TO ${quarantine}`);
      });

      it('keeps the objects, owned by the powerless quarantine role, and nobody can call the functions, which could not hand out a role anyway', async () => {
        const provisioner = provisionerWith({
          onOwnedObjects: 'quarantine',
          quarantineRole: db.quarantineRole,
        });
        const { t, planted, user } = await grantAndPlant(provisioner);

        await provisioner.revoke({ ...t, externalId: user }, testContext());

        expect(await db.role(user)).toBeUndefined();
        for (const name of [planted.mint, planted.join, planted.table]) {
          expect(await ownerOf(db.admin, name)).toEqual([db.quarantineRole]);
        }
        const rows = await db.admin.raw(`select note from ${planted.table}`);
        expect(rows.rows).toEqual([{ note: 'kept' }]);
        // Neither PUBLIC nor the bystander may execute them any more...
        const privileges = await db.admin.raw(
          `select has_function_privilege('public', ?::regprocedure, 'EXECUTE') as public_mint,
                  has_function_privilege(?, ?::regprocedure, 'EXECUTE') as bystander_join`,
          [
            `public.${planted.mint}(text)`,
            bystander.user,
            `public.${planted.join}()`,
          ],
        );
        expect(privileges.rows).toEqual([
          { public_mint: false, bystander_join: false },
        ]);
        expect(await attempts(planted)).toEqual({
          mint: '42501',
          join: '42501',
        });
        // ...and a superuser, who skips that check, runs them as the quarantine role, which can
        // neither create roles nor grant the resource's role.
        const superuser = await connect({
          ...db.server,
          database: db.databaseName,
        });
        expect(
          await outcome(superuser, `select public.${planted.mint}($1)`, [
            planted.minted,
          ]),
        ).toBe('42501');
        expect(
          await outcome(superuser, `select public.${planted.join}()`),
        ).toBe('42501');
        await superuser.end();
        await expectNoRoleGained(planted);
      });

      it.each<
        [
          string,
          string | undefined,
          RegExp,
          { granted?: false; create?: false }?,
        ]
      >([
        ['can log in', 'LOGIN', /can log in/],
        ['has CREATEROLE', 'NOLOGIN CREATEROLE', /has CREATEROLE/],
        ['has BYPASSRLS', 'NOLOGIN BYPASSRLS', /has BYPASSRLS/],
        [
          'is a member of a role with CREATEROLE',
          'NOLOGIN IN ROLE :powerful',
          /is a member of .*powerful/,
        ],
        ['does not exist', undefined, /does not exist/],
        [
          'the connection user is not a member of',
          'NOLOGIN',
          /is not granted to the connection user/,
          { granted: false },
        ],
        [
          'may not create in the schema of the objects',
          'NOLOGIN',
          /needs CREATE on each schema/,
          { create: false },
        ],
      ])(
        'refuses a quarantine role that %s: the revoke fails permanently and hands the manager nothing',
        async (_case, attributes, reason, setup = {}) => {
          const quarantine = `${db.quarantineRole}_${randomBytes(3).toString(
            'hex',
          )}`;
          if (attributes) {
            const role = db.quote(quarantine);
            const powerful = db.quote(`${quarantine}_powerful`);
            if (attributes.includes(':powerful')) {
              await db.admin.raw(`CREATE ROLE ${powerful} NOLOGIN CREATEROLE`);
            }
            await db.admin.raw(
              `CREATE ROLE ${role} ${attributes.replace(
                ':powerful',
                powerful,
              )}`,
            );
            if (setup.granted !== false) {
              await db.admin.raw(
                `GRANT ${role} TO ${db.quote(db.managerRole)}`,
              );
            }
            if (setup.create !== false) {
              await db.admin.raw(`GRANT CREATE ON SCHEMA public TO ${role}`);
            }
          }
          const provisioner = provisionerWith({
            onOwnedObjects: 'quarantine',
            quarantineRole: quarantine,
          });
          const { t, planted, user } = await grantAndPlant(provisioner);

          const error = await provisioner
            .revoke({ ...t, externalId: user }, testContext())
            .then(
              () => undefined,
              (e: unknown) => e,
            );

          expect(error).toBeInstanceOf(ProvisioningError);
          expect((error as ProvisioningError).permanent).toBe(true);
          expect((error as Error).message).toMatch(reason);
          expect((error as Error).message).toMatch(/onOwnedObjects: drop/);
          // The login is shut and out of the resource's role; what it made stays its own.
          expect(await db.role(user)).toMatchObject({
            rolcanlogin: false,
            member_of: [],
          });
          for (const name of [planted.mint, planted.join, planted.table]) {
            expect(await ownerOf(db.admin, name)).toEqual([user]);
          }
          expect(await attempts(planted)).toEqual({
            mint: '42501',
            join: '42501',
          });
          await expectNoRoleGained(planted);

          // Once the operator settles it (here: drop instead), revoking again finishes.
          await provisionerWith().revoke(
            { ...t, externalId: user },
            testContext(),
          );
          expect(await db.role(user)).toBeUndefined();
          expect(await ownerOf(db.admin, planted.mint)).toEqual([]);
        },
      );
    });

    it("drops what the role made in the module's other database of the same cluster too", async () => {
      const base = db.provisionerConfig().databases[0];
      const provisioner = provisionerWith({}, [
        {
          ...base,
          resource: 'resource:default/other-db',
          connection: { ...base.connection, database: other.name },
        },
      ]);
      const { t, planted, user } = await grantAndPlant(provisioner, other.name);

      await provisioner.revoke({ ...t, externalId: user }, testContext());

      expect(await db.role(user)).toBeUndefined();
      expect(await ownerOf(other.admin, planted.mint)).toEqual([]);
      expect(await attempts(planted, other.name)).toEqual({
        mint: '42883',
        join: '42883',
      });
      await expectNoRoleGained(planted);
    });

    it('fails loudly, handing the manager nothing, when the role owns objects in a database the module does not manage', async () => {
      const provisioner = provisionerWith();
      const { t, planted, user } = await grantAndPlant(provisioner, other.name);

      const error = await provisioner
        .revoke({ ...t, externalId: user }, testContext())
        .then(
          () => undefined,
          (e: unknown) => e,
        );

      expect(error).toBeInstanceOf(ProvisioningError);
      expect((error as ProvisioningError).permanent).toBe(true);
      expect((error as Error).message).toContain(`"${other.name}"`);
      expect((error as Error).message).toMatch(/does not manage/);
      expect(await db.role(user)).toMatchObject({
        rolcanlogin: false,
        member_of: [],
      });
      expect(await ownerOf(other.admin, planted.mint)).toEqual([user]);
      expect(await attempts(planted, other.name)).toEqual({
        mint: '42501',
        join: '42501',
      });
      await expectNoRoleGained(planted);

      // The operator removes what it owns there; revoking again finishes.
      await other.admin.raw(`DROP OWNED BY ${db.quote(user)}`);
      await provisioner.revoke({ ...t, externalId: user }, testContext());
      expect(await db.role(user)).toBeUndefined();
    });
  },
);
