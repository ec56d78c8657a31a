import {
  createHash,
  createHmac,
  createSecretKey,
  KeyObject,
} from 'node:crypto';

/**
 * How one link of the audit chain is computed, recorded per row in `chain_scheme`.
 *
 * - `hmac-sha256`: HMAC-SHA256 keyed with `access.audit.chainKey`. Without the key nobody can
 *   compute a link, so a row cannot be rewritten, inserted or removed without breaking the chain.
 * - `sha256`: plain SHA-256, what the chain used before it was keyed (rows from then have a null
 *   scheme) and what it uses where no key is configured (development and tests). Anyone who can
 *   write the table can recompute such links.
 */
export type ChainScheme = 'hmac-sha256' | 'sha256';

export const KEYED_SCHEME: ChainScheme = 'hmac-sha256';
export const UNKEYED_SCHEME: ChainScheme = 'sha256';

/** The scheme of a stored row, or undefined when the column holds something unknown. */
export function readChainScheme(value: unknown): ChainScheme | undefined {
  if (value === null || value === undefined || value === UNKEYED_SCHEME) {
    return UNKEYED_SCHEME;
  }
  return value === KEYED_SCHEME ? KEYED_SCHEME : undefined;
}

/** The key the chain of one database is written and verified with. */
export type ChainKey = KeyObject;

export function createChainKey(secret: string): ChainKey {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** JSON with object keys sorted at every level, so equal content always serialises equally. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  const keys = Object.keys(value).sort();
  return `{${keys
    .map(key => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
    .join(',')}}`;
}

/** What a link covers: the previous link and the row's content. */
export interface LinkContent {
  requestId?: string;
  actorRef: string;
  action: string;
  fromStatus?: string;
  toStatus?: string;
  details?: Record<string, unknown>;
  at: Date;
}

/**
 * The link (hex) of a row: over the canonical JSON of its content and the previous row's link,
 * plain SHA-256 or HMAC-SHA256 with the key. The payload is the same for both schemes, so a row
 * written before the chain was keyed still hashes as it did.
 */
export function computeLink(
  scheme: ChainScheme,
  key: ChainKey | null,
  prevHash: string | null,
  event: LinkContent,
): string {
  const text = linkText(prevHash, event);
  if (scheme === KEYED_SCHEME) {
    if (!key) {
      throw new Error('A keyed audit link needs the chain key');
    }
    return createHmac('sha256', key).update(text, 'utf8').digest('hex');
  }
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The canonical JSON a link is computed over: `canonicalJson` of the row's content and the
 * previous link, written out with its keys in their sorted order (a mass expiry links tens of
 * thousands of rows; sorting the same eight keys for each one showed in its profile).
 */
export function linkText(prevHash: string | null, event: LinkContent): string {
  const text = (value: string | null | undefined) =>
    value === undefined || value === null ? 'null' : JSON.stringify(value);
  return (
    `{"action":${JSON.stringify(event.action)}` +
    `,"actorRef":${JSON.stringify(event.actorRef)}` +
    `,"at":${JSON.stringify(event.at.toISOString())}` +
    `,"details":${canonicalJson((event.details ?? null) as JsonValue)}` +
    `,"fromStatus":${text(event.fromStatus)}` +
    `,"prevHash":${text(prevHash)}` +
    `,"requestId":${text(event.requestId)}` +
    `,"toStatus":${text(event.toStatus)}}`
  );
}
