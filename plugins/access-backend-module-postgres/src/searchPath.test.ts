import { randomBytes } from 'node:crypto';
import { connectAs } from './__testUtils__/logins';
import { ScratchDatabase, testPostgresUrl } from './__testUtils__/postgres';
import { attackTarget, testContext } from './__testUtils__/targets';
import { createPostgresProvisioner, PostgresProvisioner } from './provisioner';

const url = testPostgresUrl();
const describeWithPostgres = url ? describe : describe.skip;

/**
 * A grantee with CREATE in schema public can plant functions whose argument types match the
 * provisioner's own calls (a `left(name, integer)` beats `pg_catalog.left(text, integer)`): if
 * the provisioner's sessions searched public, they would run them with the manager's rights.
 */
describeWithPostgres(
  "PostgreSQL provisioner: a grantee's functions never run in its sessions (real server)",
  () => {
    let db: ScratchDatabase;
    let provisioner: PostgresProvisioner;

    beforeAll(async () => {
      db = new ScratchDatabase(url!);
      await db.create();
      const write = db.quote(db.writeRole);
      await db.admin.raw(`GRANT CREATE ON SCHEMA public TO ${write}`);
      const quarantine = db.quote(db.quarantineRole);
      await db.admin.raw(`CREATE ROLE ${quarantine} NOLOGIN`);
      await db.admin.raw(`GRANT ${quarantine} TO ${db.quote(db.managerRole)}`);
      await db.admin.raw(`GRANT CREATE ON SCHEMA public TO ${quarantine}`);
      const base = db.provisionerConfig().databases[0];
      provisioner = createPostgresProvisioner({
        config: db.provisionerConfig({
          databases: [
            {
              ...base,
              onOwnedObjects: 'quarantine',
              quarantineRole: db.quarantineRole,
            },
          ],
        }),
      });
    });

    afterAll(async () => {
      await provisioner?.close();
      await db?.destroy();
    });

    /** As a new grantee, plants look-alikes that try to mint a login whenever they run. */
    async function grantAndPlant() {
      const t = attackTarget();
      const granted = await provisioner.grant(t, testContext());
      const minted = `jit_test_${db.suffix}_minted_${randomBytes(3).toString(
        'hex',
      )}`;
      const payload = `BEGIN
          EXECUTE pg_catalog.format('CREATE ROLE %I LOGIN PASSWORD %L', '${minted}', 'minted');
        EXCEPTION WHEN others THEN NULL;
        END;`;
      const { host, port, user, password, database } = granted.credentials;
      const grantee = await connectAs({ host, port, user, password, database });
      await grantee.query(
        `CREATE FUNCTION public.left(name, integer) RETURNS text LANGUAGE plpgsql AS $$
         BEGIN ${payload} RETURN pg_catalog.left($1::text, $2); END $$`,
      );
      await grantee.query(
        `CREATE FUNCTION public.format(text, name, name, text) RETURNS text LANGUAGE plpgsql AS $$
         BEGIN ${payload} RETURN pg_catalog.format($1, $2, $3, $4); END $$`,
      );
      await grantee.query(
        `CREATE FUNCTION public.quote_ident(name) RETURNS text LANGUAGE plpgsql AS $$
         BEGIN ${payload} RETURN pg_catalog.quote_ident($1::text); END $$`,
      );
      // They do work when their owner calls them (and mint nothing: it cannot create roles).
      expect(
        (await grantee.query(`select left('abc'::name, 1) as value`)).rows,
      ).toEqual([{ value: 'a' }]);
      await grantee.end();
      expect(await db.role(minted)).toBeUndefined();
      return { t, user, minted };
    }

    afterEach(async () => {
      await db.admin.raw(
        `DROP FUNCTION IF EXISTS public.left(name, integer), public.format(text, name, name, text),
           public.quote_ident(name)`,
      );
    });

    it("reconciliation's look-up of the module's roles (left(rolname, …)) runs no planted function", async () => {
      const { t, minted } = await grantAndPlant();

      expect(
        (await provisioner.observe(testContext())).map(
          access => access.grantId,
        ),
      ).toContain(t.grantId);

      expect(await db.role(minted)).toBeUndefined();
    });

    it("quarantining a revoked login's functions (format(…), quote_ident(…) of their names) runs no planted function", async () => {
      const { t, user, minted } = await grantAndPlant();

      await provisioner.revoke({ ...t, externalId: user }, testContext());

      expect(await db.role(user)).toBeUndefined();
      expect(await db.role(minted)).toBeUndefined();
    });
  },
);
