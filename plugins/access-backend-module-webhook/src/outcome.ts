import { STATUS_CODES } from 'node:http';

/** How much of a response body goes into the operators' log. */
const EXCERPT_LENGTH = 200;

/**
 * What one HTTP attempt came to. `reason` goes into errors, which the access plugin records on
 * the grant and in the request's audit trail, where requester, grantee and approvers read it:
 * only the status and a fixed text, never what the downstream answered. `detail` (body excerpt,
 * Location, network error) is for the operators' log only.
 */
export type Outcome =
  | { kind: 'done'; status: number; body: string; truncated: boolean }
  | { kind: 'permanent'; reason: string; detail?: string }
  | {
      kind: 'transient';
      reason: string;
      detail?: string;
      retryAfterMs?: number;
    };

/** A response body flattened to one line and cut short, for the operators' log. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_LENGTH
    ? `${flat.slice(0, EXCERPT_LENGTH)}…`
    : flat;
}

/** `HTTP 500 Internal Server Error`: the standard phrase, not the one the server sent. */
function describeStatus(status: number): string {
  const phrase = STATUS_CODES[status];
  return `HTTP ${status}${phrase ? ` ${phrase}` : ''}`;
}

/** What the server answered besides its status, for the operators' log. */
function responseDetail(response: Response, body: string): string | undefined {
  const parts: string[] = [];
  if (
    response.statusText &&
    response.statusText !== STATUS_CODES[response.status]
  ) {
    parts.push(`status text '${response.statusText}'`);
  }
  const location = response.headers.get('location');
  if (location) {
    parts.push(`Location: ${location}`);
  }
  const text = excerpt(body);
  if (text) {
    parts.push(`body: ${text}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), when present and readable. */
function retryAfterMillis(response: Response): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) {
    return undefined;
  }
  if (/^\d+$/.test(value)) {
    return Number(value) * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Classifies a response: 2xx is done; 5xx, 408 and 429 are transient (with their
 * `Retry-After`); redirects, which are never followed, and other 4xx are permanent.
 */
export function classifyResponse(
  response: Response,
  body: { text: string; truncated: boolean },
): Outcome {
  const status = response.status;
  if (status >= 200 && status < 300) {
    return {
      kind: 'done',
      status,
      body: body.text,
      truncated: body.truncated,
    };
  }
  const reason = describeStatus(status);
  const detail = responseDetail(response, body.text);
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = retryAfterMillis(response);
    return {
      kind: 'transient',
      reason,
      ...(detail !== undefined && { detail }),
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    };
  }
  if (status >= 300 && status < 400) {
    return {
      kind: 'permanent',
      reason: `${reason} (redirects are not followed)`,
      ...(detail !== undefined && { detail }),
    };
  }
  return {
    kind: 'permanent',
    reason,
    ...(detail !== undefined && { detail }),
  };
}
