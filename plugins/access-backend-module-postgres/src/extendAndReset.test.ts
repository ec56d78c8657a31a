import { isPermanentProvisioningError } from '@jit-access/plugin-access-node';
import {
  expectPasswordAccepted,
  expectPasswordRefused,
  GranteeSessions,
  provisioningError,
} from './__testUtils__/checks';
import { canLogIn } from './__testUtils__/logins';
import { ScratchDatabase, testPostgresUrl } from './__testUtils__/postgres';
import { testContext, testTarget } from './__testUtils__/targets';
import { createPostgresProvisioner, PostgresProvisioner } from './provisioner';

// Creating and dropping a scratch database on a busy server can take longer than Jest's 5 s.
jest.setTimeout(60_000);

const url = testPostgresUrl();
const describeWithPostgres = url ? describe : describe.skip;

describeWithPostgres(
  'PostgreSQL provisioner: extending and resetting credentials (real server)',
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

    it('resets the password: the old one stops working, the new one works, open sessions end', async () => {
      const t = testTarget();
      const granted = await provisioner.grant(t, testContext());
      const user = granted.externalId;
      const client = await sessions.open(granted.credentials);
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
      await expectPasswordAccepted(db, user, reset.password);
      await expectPasswordRefused(db, user, granted.credentials.password);
      const again = await sessions.open(reset);
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
      const client = await sessions.open(granted.credentials);
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
      await expectPasswordAccepted(db, user, granted.credentials.password);

      // Idempotent: extending again to the same end changes nothing.
      await provisioner.extend(
        { ...t, endsAt: newEnd, externalId: user },
        testContext(),
      );
      expect(await db.role(user)).toEqual(after);
      await expectPasswordAccepted(db, user, granted.credentials.password);
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
        db.checksPasswords ? await canLogIn(db.login(user, password)) : false,
      ).toBe(false);

      // Without the external id, the role name is derived from the grant id.
      const newEnd = new Date(now + 60 * 60 * 1000).toISOString();
      await provisioner.extend({ ...t, endsAt: newEnd }, testContext());

      expect((await db.role(user))!.rolvaliduntil!.toISOString()).toBe(newEnd);
      await expectPasswordAccepted(db, user, password);
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
            endsAt: new Date(
              Date.parse(t.endsAt) + 60 * 60 * 1000,
            ).toISOString(),
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
  },
);
