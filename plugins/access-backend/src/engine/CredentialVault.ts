import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12;
/**
 * The whole GCM tag, and nothing shorter: GCM checks only as many tag bytes as it is given, and
 * Node accepts 4 to 16 unless told the length, so a shortened tag would be far easier to forge.
 */
const TAG_BYTES = 16;

/**
 * Seals the credentials a provisioner issues, so that the database never holds them in clear
 * text. AES-256-GCM with a key derived from `access.credentials.encryptionKey`; every value gets
 * its own IV, and the grant id is bound in as associated data so a sealed value cannot be moved
 * to another grant.
 */
export class CredentialVault {
  private readonly key: Buffer;

  /** `secret`: any string; absent, a random key that lives as long as the process. */
  constructor(secret: string | undefined) {
    this.key = secret
      ? createHash('sha256').update(secret, 'utf8').digest()
      : randomBytes(32);
  }

  seal(grantId: string, credentials: Record<string, string>): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(Buffer.from(grantId, 'utf8'));
    const body = Buffer.concat([
      cipher.update(JSON.stringify(credentials), 'utf8'),
      cipher.final(),
    ]);
    return [
      VERSION,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join('.');
  }

  /**
   * The credentials, or undefined when they were sealed with another key or for another grant,
   * or were tampered with (a tag or IV of another length included).
   */
  open(grantId: string, sealed: string): Record<string, string> | undefined {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || !body) {
      return undefined;
    }
    const ivBytes = Buffer.from(iv, 'base64');
    const tagBytes = Buffer.from(tag, 'base64');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      return undefined;
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, ivBytes, {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(grantId, 'utf8'));
      decipher.setAuthTag(tagBytes);
      const clear = Buffer.concat([
        decipher.update(Buffer.from(body, 'base64')),
        decipher.final(),
      ]);
      return JSON.parse(clear.toString('utf8'));
    } catch {
      return undefined;
    }
  }
}
