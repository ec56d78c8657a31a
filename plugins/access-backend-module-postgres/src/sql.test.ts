import {
  generatePassword,
  quoteIdentifier,
  quoteLiteral,
  roleNameForGrant,
  scramSha256Verifier,
} from './sql';

describe('SQL helpers', () => {
  it('quotes identifiers and literals', () => {
    expect(quoteIdentifier('app_read')).toBe('"app_read"');
    expect(quoteIdentifier('Read "only"; drop')).toBe('"Read ""only""; drop"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
    expect(() => quoteIdentifier('a\0b')).toThrow(/NUL/);
    expect(() => quoteLiteral('a\0b')).toThrow(/NUL/);
  });

  it('derives the role name from the grant id, deterministically', () => {
    const grantId = '3F2504E0-4F89-11D3-9A0C-0305E82C3301';
    expect(roleNameForGrant('jit_', grantId)).toBe(
      'jit_3f2504e04f8911d39a0c0305e82c3301',
    );
    expect(roleNameForGrant('jit_', grantId)).toBe(
      roleNameForGrant('jit_', grantId.toLowerCase()),
    );
  });

  it('hashes grant ids that are not plain or too long, within 63 bytes', () => {
    const odd = roleNameForGrant('jit_', 'grant/with "odd" chars');
    expect(odd).toMatch(/^jit_h[0-9a-f]+$/);
    expect(odd).toBe(roleNameForGrant('jit_', 'grant/with "odd" chars'));
    expect(odd).not.toBe(roleNameForGrant('jit_', 'grant/with "odd" chars!'));

    const long = roleNameForGrant('a'.repeat(30), 'x'.repeat(40));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^a{30}h[0-9a-f]+$/);
  });

  it('generates URL-safe random passwords', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(generatePassword()).not.toBe(a);
  });

  it('makes SCRAM-SHA-256 verifiers with a fresh salt', async () => {
    const a = await scramSha256Verifier('password');
    expect(a).toMatch(
      /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/,
    );
    expect(await scramSha256Verifier('password')).not.toBe(a);
  });
});
