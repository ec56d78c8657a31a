import { computeWebhookSignature, verifyWebhookSignature } from './signature';
import { createHmac } from 'node:crypto';

const secret = 'receiver-secret';
const body = '{"action":"grant","grantId":"g-1"}';
const now = new Date('2025-06-01T12:00:00Z');
const timestamp = String(Math.floor(now.getTime() / 1000));
const method = 'POST';
const url = 'https://hooks.example.com/groups/grant?team=payments';
const path = '/groups/grant?team=payments';
const signature = computeWebhookSignature({
  secret,
  timestamp,
  method,
  url,
  body,
});
const sign = (ts: string) =>
  computeWebhookSignature({ secret, timestamp: ts, method, url, body });

function verify(
  overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]>,
) {
  return verifyWebhookSignature({
    secret,
    timestamp,
    method,
    path,
    body,
    signature,
    now,
    ...overrides,
  });
}

describe('computeWebhookSignature', () => {
  it('is the hex HMAC-SHA256 of timestamp, method, path and query, and body, on lines of their own', () => {
    const expected = createHmac('sha256', secret)
      .update(`${timestamp}\nPOST\n/groups/grant?team=payments\n${body}`)
      .digest('hex');
    expect(signature).toBe(`sha256=${expected}`);
    // A path signs the same as the full URL it is the path of.
    expect(
      computeWebhookSignature({ secret, timestamp, method, url: path, body }),
    ).toBe(signature);
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

  it('rejects a request signed for another path, query or method', () => {
    expect(verify({ path: '/groups/revoke?team=payments' })).toBe(false);
    expect(verify({ path: '/groups/grant' })).toBe(false);
    expect(verify({ path: '/groups/grant?team=platform' })).toBe(false);
    expect(verify({ method: 'PUT' })).toBe(false);
    expect(verify({ path: undefined })).toBe(false);
    expect(verify({ method: undefined })).toBe(false);
    // The method compares without regard to case, as HTTP's are upper case anyway.
    expect(verify({ method: 'post' })).toBe(true);
  });

  it('rejects a changed timestamp, as it is signed too', () => {
    expect(verify({ timestamp: String(Number(timestamp) - 1) })).toBe(false);
  });

  it('rejects an old or a future timestamp', () => {
    const old = String(Number(timestamp) - 301);
    expect(
      verify({
        timestamp: old,
        signature: sign(old),
      }),
    ).toBe(false);
    const future = String(Number(timestamp) + 301);
    expect(
      verify({
        timestamp: future,
        signature: sign(future),
      }),
    ).toBe(false);
    expect(
      verify({
        timestamp: old,
        signature: sign(old),
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
