import { ProvisioningError } from '@jit-access/plugin-access-node';
import { canLogIn, connectAs, PgClient, storedPasswordMatches } from './logins';
import { ScratchDatabase } from './postgres';

/** Expects the rejection to be a ProvisioningError and returns it. */
export async function provisioningError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProvisioningError);
  return error as ProvisioningError;
}

/** The password is the one stored for the role, and it logs in. */
export async function expectPasswordAccepted(
  db: ScratchDatabase,
  user: string,
  password: string,
) {
  expect(await storedPasswordMatches(db.admin, user, password)).toBe(true);
  expect(await canLogIn(db.login(user, password))).toBe(true);
}

/**
 * The password is not the one stored for the role. A server that checks passwords must refuse
 * it; one that trusts every local connection (`trust` in pg_hba.conf) lets any password in, so
 * there the stored verifier is what proves it.
 */
export async function expectPasswordRefused(
  db: ScratchDatabase,
  user: string,
  password: string,
) {
  expect(await storedPasswordMatches(db.admin, user, password)).toBe(false);
  expect(
    db.checksPasswords ? await canLogIn(db.login(user, password)) : false,
  ).toBe(false);
}

/** Sessions a test opens with granted credentials, as the grantee would; ended after the suite. */
export class GranteeSessions {
  private readonly clients: PgClient[] = [];

  async open(credentials: Record<string, string>): Promise<PgClient> {
    const client = await connectAs({
      host: credentials.host,
      port: credentials.port,
      database: credentials.database,
      user: credentials.user,
      password: credentials.password,
    });
    this.clients.push(client);
    return client;
  }

  async endAll() {
    await Promise.all(this.clients.map(s => s.end().catch(() => {})));
  }
}
