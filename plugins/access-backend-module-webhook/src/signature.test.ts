import { computeWebhookSignature, verifyWebhookSignature } from './signature';
import { createHmac } from 'node:crypto';

const secret = 'receiver-secret';
const body = '{"action":"grant","grantId":"g-1"}';
const now = new Date('2025-06-01T12:00:00Z');
const timestamp = String(Math.floor(now.getTime() / 1000));
const signature = computeWebhookSignature({ secret, timestamp, body });

function verify(
  overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]>,
) {
  return verifyWebhookSignature({
    secret,
    timestamp,
    body,
    signature,
    now,
    ...overrides,
  });
}

describe('computeWebhookSignature', () => {
  it('is the hex HMAC-SHA256 of timestamp, dot and body', () => {
    const expected = createHmac('sha256', secret)
      .update(`${timestamp}.${body}`)
      .digest('hex');
    expect(signature).toBe(`sha256=${expected}`);
  });
});

describe('verifyWebhookSignature', () => {
  it('accepts a correct signature, over a string or the raw bytes', () => {
    expect(verify({})).toBe(true);
    expect(verify({ body: Buffer.from(body, 'utf8') })).toBe(true);
    expect(verify({ now: now.getTime() + 299_000 })).toBe(true);
  });

  it('rejects a wrong secret', () => {
    expect(verify({ secret: 'another-secret' })).toBe(false);
    expect(verify({ secret: '' })).toBe(false);
  });

  it('accepts any of several secrets, for a rotation', () => {
    expect(verify({ secret: ['new-secret', secret] })).toBe(true);
    expect(verify({ secret: ['new-secret', 'older-secret'] })).toBe(false);
  });

  it('rejects a tampered body', () => {
    expect(verify({ body: body.replace('g-1', 'g-2') })).toBe(false);
    expect(verify({ body: `${body} ` })).toBe(false);
  });

  it('rejects a changed timestamp, as it is signed too', () => {
    expect(verify({ timestamp: String(Number(timestamp) - 1) })).toBe(false);
  });

  it('rejects an old or a future timestamp', () => {
    const old = String(Number(timestamp) - 301);
    expect(
      verify({
        timestamp: old,
        signature: computeWebhookSignature({ secret, timestamp: old, body }),
      }),
    ).toBe(false);
    const future = String(Number(timestamp) + 301);
    expect(
      verify({
        timestamp: future,
        signature: computeWebhookSignature({ secret, timestamp: future, body }),
      }),
    ).toBe(false);
    expect(
      verify({
        timestamp: old,
        signature: computeWebhookSignature({ secret, timestamp: old, body }),
        toleranceSeconds: 600,
      }),
    ).toBe(true);
  });

  it('rejects missing or malformed headers', () => {
    expect(verify({ signature: undefined })).toBe(false);
    expect(verify({ signature: signature.slice(7) })).toBe(false);
    expect(verify({ signature: `${signature}00` })).toBe(false);
    expect(verify({ signature: [signature] })).toBe(false);
    expect(verify({ timestamp: undefined })).toBe(false);
    expect(verify({ timestamp: `${timestamp}.5` })).toBe(false);
  });
});
