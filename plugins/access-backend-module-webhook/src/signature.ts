import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header with the request's Unix time in seconds, which is part of the signed text. */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-jit-access-timestamp';
/**
 * Header with `sha256=<hex HMAC-SHA256(secret, "<timestamp>\n<METHOD>\n<path?query>\n<raw body>")>`:
 * the signature covers where the request goes as well as what it says, so a request signed for
 * one URL path (or method) does not verify at another.
 */
export const WEBHOOK_SIGNATURE_HEADER = 'x-jit-access-signature';
/** Header with the idempotency key, the same on every retry of one grant or revoke. */
export const WEBHOOK_IDEMPOTENCY_KEY_HEADER = 'x-jit-access-idempotency-key';

/** How far a timestamp may be from the receiver's clock by default: five minutes. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

const SIGNATURE_PREFIX = 'sha256=';

/**
 * The request target as signed: the path and query of a URL (`/hooks/access?team=a`), exactly as
 * sent on the request line. A full URL is reduced to its path and query; a path is kept as it is
 * (Node's `req.url` on the receiving side).
 */
export function webhookSignedTarget(urlOrPath: string): string {
  if (/^https?:\/\//i.test(urlOrPath)) {
    const url = new URL(urlOrPath);
    return `${url.pathname}${url.search}`;
  }
  return urlOrPath;
}

function hmacHex(
  secret: string,
  timestamp: string,
  method: string,
  target: string,
  body: string | Uint8Array,
): string {
  // Newlines separate the parts: none can appear in a timestamp, a method or a request target.
  return createHmac('sha256', secret)
    .update(`${timestamp}\n${method.toUpperCase()}\n${target}\n`)
    .update(body)
    .digest('hex');
}

/**
 * The value of the signature header for a request: `sha256=` followed by the hex HMAC-SHA256,
 * keyed with the secret, of `<timestamp>\n<METHOD>\n<path and query>\n` and the raw body.
 *
 * @param options - `secret`, `timestamp`, `method` and `body` of the request, and `url`: the URL
 *   it is sent to, or its path and query
 */
export function computeWebhookSignature(options: {
  secret: string;
  timestamp: string | number;
  method: string;
  url: string;
  body: string | Uint8Array;
}): string {
  return `${SIGNATURE_PREFIX}${hmacHex(
    options.secret,
    String(options.timestamp),
    options.method,
    webhookSignedTarget(options.url),
    options.body,
  )}`;
}

/** Header values as a receiver gets them, e.g. from Node's `req.headers`. */
export type WebhookHeaderValue = string | string[] | number | undefined | null;

/**
 * Checks a webhook request on the receiving side. Compute it over the raw bytes of the body as
 * received, before any JSON parsing, and the method and path the request arrived with. Returns
 * false when the signature is missing or wrong (the comparison takes constant time), when the
 * request was signed for another method or path, or when the timestamp is malformed or further
 * than `toleranceSeconds` (default 300) from `now` in either direction, which stops replays.
 *
 * @param options - `secret`: the endpoint's shared secret, several are accepted during a rotation;
 *   `timestamp`: the `x-jit-access-timestamp` header; `method`: the request's method
 *   (`req.method`); `path`: the request's path and query as received (Node: `req.url`; behind a
 *   proxy that rewrites paths, the path the access plugin sent, the configured URL's); `body`:
 *   the raw request body; `signature`: the `x-jit-access-signature` header; `now`: the current
 *   time (default: the clock), as a Date or milliseconds
 */
export function verifyWebhookSignature(options: {
  secret: string | string[];
  timestamp: WebhookHeaderValue;
  method: string | undefined;
  path: string | undefined;
  body: string | Uint8Array;
  signature: WebhookHeaderValue;
  toleranceSeconds?: number;
  now?: Date | number;
}): boolean {
  const { timestamp, signature, body, method, path } = options;
  if (!method || !path) {
    return false;
  }
  const timestampText =
    typeof timestamp === 'number' ? String(timestamp) : timestamp;
  if (typeof timestampText !== 'string' || !/^\d{1,15}$/.test(timestampText)) {
    return false;
  }
  if (
    typeof signature !== 'string' ||
    !signature.startsWith(SIGNATURE_PREFIX)
  ) {
    return false;
  }

  let nowMs = Date.now();
  if (options.now !== undefined) {
    nowMs =
      typeof options.now === 'number' ? options.now : options.now.getTime();
  }
  const tolerance =
    options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(nowMs / 1000 - Number(timestampText)) > tolerance) {
    return false;
  }

  const given = Buffer.from(
    signature.slice(SIGNATURE_PREFIX.length).toLowerCase(),
    'utf8',
  );
  const secrets = Array.isArray(options.secret)
    ? options.secret
    : [options.secret];
  let valid = false;
  for (const secret of secrets) {
    if (!secret) {
      continue;
    }
    const expected = Buffer.from(
      hmacHex(secret, timestampText, method, webhookSignedTarget(path), body),
      'utf8',
    );
    // The length of a SHA-256 hex digest is no secret; timingSafeEqual needs equal lengths.
    if (expected.length === given.length && timingSafeEqual(expected, given)) {
      valid = true;
    }
  }
  return valid;
}
