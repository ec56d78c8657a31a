import { isPermanentProvisioningError } from '@jit-access/plugin-access-node';
import { provisioningError } from './__testUtils__/checks';
import { ScratchDatabase, testPostgresUrl } from './__testUtils__/postgres';
import { testContext, testTarget } from './__testUtils__/targets';
import { createPostgresProvisioner, PostgresProvisioner } from './provisioner';

// Creating and dropping a scratch database on a busy server can take longer than Jest's 5 s.
jest.setTimeout(60_000);

const url = testPostgresUrl();
const describeWithPostgres = url ? describe : describe.skip;

describeWithPostgres(
  'PostgreSQL provisioner: configuration, privileges and failures (real server)',
  () => {
    let db: ScratchDatabase;
    let provisioner: PostgresProvisioner;

    beforeAll(async () => {
      db = new ScratchDatabase(url!);
      await db.create();
      provisioner = createPostgresProvisioner({
        config: db.provisionerConfig(),
      });
    });

    afterAll(async () => {
      await provisioner?.close();
      await db?.destroy();
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
        await db.role(db.loginRoleOf(unknownPermission.grantId)),
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
        expect(await db.role(db.loginRoleOf(t.grantId))).toBeUndefined();
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
      const name = db.loginRoleOf(t.grantId);
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
            endsAt: new Date(
              Date.parse(t.endsAt) + 60 * 60 * 1000,
            ).toISOString(),
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
            {
              ...base,
              publicHost: 'payments-db.example.com',
              publicPort: 6432,
            },
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
      expect(await db.role(db.loginRoleOf(t.grantId))).toBeUndefined();
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
  },
);
