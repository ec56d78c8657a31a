import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header with the request's Unix time in seconds, which is part of the signed text. */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-jit-access-timestamp';
/** Header with `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-jit-access-signature';
/** Header with the idempotency key, the same on every retry of one grant or revoke. */
export const WEBHOOK_IDEMPOTENCY_KEY_HEADER = 'x-jit-access-idempotency-key';

/** How far a timestamp may be from the receiver's clock by default: five minutes. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

const SIGNATURE_PREFIX = 'sha256=';

function hmacHex(
  secret: string,
  timestamp: string,
  body: string | Uint8Array,
): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.`)
    .update(body)
    .digest('hex');
}

/**
 * The value of the signature header for a request: `sha256=` followed by the hex
 * HMAC-SHA256, keyed with the secret, of the timestamp, a dot and the raw body.
 */
export function computeWebhookSignature(options: {
  secret: string;
  timestamp: string | number;
  body: string | Uint8Array;
}): string {
  return `${SIGNATURE_PREFIX}${hmacHex(
    options.secret,
    String(options.timestamp),
    options.body,
  )}`;
}

/** Header values as a receiver gets them, e.g. from Node's `req.headers`. */
export type WebhookHeaderValue = string | string[] | number | undefined | null;

/**
 * Checks a webhook request on the receiving side. Compute it over the raw bytes of the body as
 * received, before any JSON parsing. Returns false when the signature is missing or wrong (the
 * comparison takes constant time), or when the timestamp is malformed or further than
 * `toleranceSeconds` (default 300) from `now` in either direction, which stops replays.
 *
 * @param options - `secret`: the endpoint's shared secret, several are accepted during a rotation;
 *   `timestamp`: the `x-jit-access-timestamp` header; `body`: the raw request body; `signature`:
 *   the `x-jit-access-signature` header; `now`: the current time (default: the clock), as a Date
 *   or milliseconds
 */
export function verifyWebhookSignature(options: {
  secret: string | string[];
  timestamp: WebhookHeaderValue;
  body: string | Uint8Array;
  signature: WebhookHeaderValue;
  toleranceSeconds?: number;
  now?: Date | number;
}): boolean {
  const { timestamp, signature, body } = options;
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
    const expected = Buffer.from(hmacHex(secret, timestampText, body), 'utf8');
    // The length of a SHA-256 hex digest is no secret; timingSafeEqual needs equal lengths.
    if (expected.length === given.length && timingSafeEqual(expected, given)) {
      valid = true;
    }
  }
  return valid;
}
