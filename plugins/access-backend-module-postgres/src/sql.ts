import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** PostgreSQL's limit on identifier length, in bytes (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_BYTES = 63;

/** Quotes an identifier for PostgreSQL (`"name"`, embedded quotes doubled). */
export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) {
    throw new Error('An identifier cannot contain a NUL character');
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Quotes a string literal for PostgreSQL. Backslashes are escaped and the `E'...'` form used
 * when there are any, so the result is the same whatever `standard_conforming_strings` says.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) {
    throw new Error('A string literal cannot contain a NUL character');
  }
  const quoted = `'${value.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;
  return value.includes('\\') ? `E${quoted}` : quoted;
}

/**
 * The login role made for a grant: the prefix and the grant id without dashes, so a retried grant
 * finds the role an earlier attempt made. Grant ids that are not plain (UUIDs are) or too long
 * are hashed instead, so the name always fits PostgreSQL's 63-byte limit.
 */
export function roleNameForGrant(prefix: string, grantId: string): string {
  const plain = grantId.toLowerCase().replace(/-/g, '');
  if (
    /^[a-z0-9_]+$/.test(plain) &&
    Buffer.byteLength(prefix + plain) <= MAX_IDENTIFIER_BYTES
  ) {
    return prefix + plain;
  }
  const hash = createHash('sha256').update(grantId).digest('hex');
  return `${prefix}h${hash}`.slice(0, MAX_IDENTIFIER_BYTES);
}

/** A random password of 32 URL-safe characters (192 bits). */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

const SCRAM_ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password, computed here the way `psql`'s
 * `\password` does, so the password itself never reaches the server (nor its statement log).
 * PostgreSQL stores a verifier given in this form as is. Meant for generated ASCII passwords,
 * which SASLprep leaves unchanged.
 */
export async function scramSha256Verifier(password: string): Promise<string> {
  const salt = randomBytes(16);
  const salted = await pbkdf2Async(
    password,
    salt,
    SCRAM_ITERATIONS,
    32,
    'sha256',
  );
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString(
    'base64',
  )}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
