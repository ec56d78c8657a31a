import { CredentialVault } from './CredentialVault';

const KEY = 'a test key that is long enough to be used';
const GRANT = '6f1c2a0e-0b7e-4c1e-9d7a-3f2b1c0d9e8f';
const CREDENTIALS = { user: 'jit_dana', password: 'first-password' };

/** The four dot-separated parts of a sealed value: version, IV, tag and body. */
function parts(sealed: string) {
  const [version, iv, tag, body] = sealed.split('.');
  return { version, iv, tag, body };
}

function join(p: ReturnType<typeof parts>) {
  return [p.version, p.iv, p.tag, p.body].join('.');
}

describe('CredentialVault', () => {
  it('opens what it sealed, for the same grant and key only', () => {
    const vault = new CredentialVault(KEY);
    const sealed = vault.seal(GRANT, CREDENTIALS);

    expect(sealed).not.toContain('first-password');
    expect(vault.open(GRANT, sealed)).toEqual(CREDENTIALS);
    expect(
      new CredentialVault('another key, just as long as the first').open(
        GRANT,
        sealed,
      ),
    ).toBeUndefined();
    expect(
      vault.open('0d6f5f0e-2d2a-4b8e-8c55-1b4b0c2c9a11', sealed),
    ).toBeUndefined();
  });

  it('seals with a 16-byte authentication tag and a 12-byte IV', () => {
    const sealed = parts(new CredentialVault(KEY).seal(GRANT, CREDENTIALS));

    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
  });

  // GCM checks only as many tag bytes as it is given, and Node accepts tags of 4 to 16 bytes
  // unless told the length: a forger who may shorten the tag to 4 bytes has to guess 32 bits,
  // not 128. The vault accepts its own 16-byte tags only.
  it.each([4, 8, 12, 15])(
    'refuses a value whose tag is cut to its first %i bytes',
    bytes => {
      const vault = new CredentialVault(KEY);
      const sealed = parts(vault.seal(GRANT, CREDENTIALS));
      const truncated = join({
        ...sealed,
        tag: Buffer.from(sealed.tag, 'base64')
          .subarray(0, bytes)
          .toString('base64'),
      });

      expect(vault.open(GRANT, truncated)).toBeUndefined();
    },
  );

  it('refuses a changed body, tag or IV, and values it cannot parse', () => {
    const vault = new CredentialVault(KEY);
    const sealed = parts(vault.seal(GRANT, CREDENTIALS));
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] ^= 1;
      return bytes.toString('base64');
    };

    expect(
      vault.open(GRANT, join({ ...sealed, body: flip(sealed.body) })),
    ).toBeUndefined();
    expect(
      vault.open(GRANT, join({ ...sealed, tag: flip(sealed.tag) })),
    ).toBeUndefined();
    expect(
      vault.open(GRANT, join({ ...sealed, iv: flip(sealed.iv) })),
    ).toBeUndefined();
    expect(
      vault.open(
        GRANT,
        join({
          ...sealed,
          iv: Buffer.from(sealed.iv, 'base64')
            .subarray(0, 8)
            .toString('base64'),
        }),
      ),
    ).toBeUndefined();
    expect(
      vault.open(GRANT, join({ ...sealed, version: 'v0' })),
    ).toBeUndefined();
    expect(vault.open(GRANT, 'not a sealed value')).toBeUndefined();
  });
});
