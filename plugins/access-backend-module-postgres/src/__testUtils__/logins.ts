import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { Knex } from 'knex';

/** The parts of the `pg` driver's client the tests use (the driver ships no types). */
export interface PgClient {
  connect(): Promise<void>;
  query(sql: string, values?: unknown[]): Promise<{ rows: any[] }>;
  end(): Promise<void>;
  on(event: 'error' | 'end', listener: (...args: any[]) => void): PgClient;
  once(event: 'error' | 'end', listener: (...args: any[]) => void): PgClient;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg: { Client: new (config: object) => PgClient } = require('pg');

export interface LoginDetails {
  host: string;
  port: string | number;
  database: string;
  user: string;
  password?: string;
}

/** A new connection of its own (not pooled), as a grantee would open one. */
export async function connectAs(login: LoginDetails): Promise<PgClient> {
  const client = new pg.Client({
    host: login.host,
    port: Number(login.port),
    database: login.database,
    user: login.user,
    password: login.password,
  });
  // A terminated session reports an error event; the tests look at `end` instead.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Whether the credentials can open a session (false when the server refuses the login). */
export async function canLogIn(login: LoginDetails): Promise<boolean> {
  let client: PgClient | undefined;
  try {
    client = await connectAs(login);
    await client.query('select 1');
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 28P01 wrong password (also an expired one), 28000 no such role or not allowed to log in.
    if (code === '28P01' || code === '28000') {
      return false;
    }
    throw error;
  } finally {
    await client?.end().catch(() => {});
  }
}

/**
 * Whether `password` is the one PostgreSQL stored for the role: checks it against the SCRAM
 * verifier in `pg_authid`, the way the server does at login.
 */
export async function storedPasswordMatches(
  admin: Knex,
  role: string,
  password: string,
): Promise<boolean> {
  const result = await admin.raw(
    'select rolpassword from pg_catalog.pg_authid where rolname = ?',
    [role],
  );
  const stored: string | null | undefined = result.rows[0]?.rolpassword;
  const match = stored
    ? /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(stored)
    : null;
  if (!match) {
    return false;
  }
  const [, iterations, salt, storedKey] = match;
  const salted = pbkdf2Sync(
    password,
    Buffer.from(salt, 'base64'),
    Number(iterations),
    32,
    'sha256',
  );
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return createHash('sha256').update(clientKey).digest('base64') === storedKey;
}
