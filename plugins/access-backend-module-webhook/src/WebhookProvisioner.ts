import {
  AccessCredentials,
  AccessProvisioner,
  CatalogAcceptance,
  GrantResult,
  ObservedAccess,
  ProvisioningContext,
  ProvisioningError,
  ProvisioningTarget,
} from '@jit-access/plugin-access-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { DEFAULT_WEBHOOK_RETRIES, DEFAULT_WEBHOOK_TIMEOUT_MS } from './config';
import {
  computeWebhookSignature,
  WEBHOOK_IDEMPOTENCY_KEY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './signature';

/** What a webhook provisioner is built from; `readWebhookEndpointsConfig` returns these. */
export interface WebhookProvisionerOptions {
  /** The provisioner id: resources with `integration: <id>` are provisioned through it. */
  id: string;
  title?: string;
  /** Receives the signed `grant` and `revoke` POST requests. */
  url: string;
  /** Shared secret for the HMAC-SHA256 signature. */
  secret: string;
  /**
   * Allows `http:` URLs, which carry the requests (grantee, resource, credentials in answers)
   * in the clear. Default false: only `https:`.
   */
  allowInsecure?: boolean;
  /** How long one HTTP attempt may take. Default 10 seconds. */
  timeoutMs?: number;
  /** How many times a failed attempt is retried within one call. Default 2. */
  retries?: number;
  /** Answers signed GET requests with the access that exists now, for reconciliation. */
  observeUrl?: string;
  /** Wait before the first in-call retry; it doubles for each further one. Default 250 ms. */
  retryDelayMs?: number;
  /**
   * The catalog entities it accepts (`serves.catalog`). Absent: none; resources in the access
   * config with this id as their integration are granted through it all the same.
   */
  accepts?: CatalogAcceptance;
}

/** The JSON body POSTed to the endpoint for `grant` and `revoke`. */
export interface WebhookRequestBody {
  action: 'grant' | 'revoke';
  /** Id of the grant in the access plugin; one grant is granted once and revoked once. */
  grantId: string;
  requestId: string;
  /** Entity ref of the resource, e.g. `resource:default/payments-db`. */
  resourceRef: string;
  resourceType?: string;
  permission: string;
  /** Entity ref of the person who receives the access, e.g. `user:default/jane`. */
  granteeRef: string;
  /** ISO-8601 start and end of the access. */
  startsAt: string;
  endsAt: string;
  /** What the endpoint returned as `externalId` when granting; sent on revoke. */
  externalId?: string;
  /** The same on every retry of the same action for the same grant. */
  idempotencyKey: string;
}

/** The longest wait between two in-call retries. */
const MAX_RETRY_DELAY_MS = 2_000;
/** A `Retry-After` longer than this ends the call; the access engine's backoff takes over. */
const MAX_RETRY_AFTER_MS = 5_000;
/** Response bodies are read up to this size. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
/** How much of a response body goes into the operators' log. */
const EXCERPT_LENGTH = 200;

/**
 * `reason` goes into errors, which the access plugin records on the grant and in the request's
 * audit trail, where requester, grantee and approvers read it: only the status and a fixed
 * text, never what the downstream answered. `detail` (body excerpt, Location, network error)
 * is for the operators' log only.
 */
type Outcome =
  | { kind: 'done'; status: number; body: string; truncated: boolean }
  | { kind: 'permanent'; reason: string; detail?: string }
  | {
      kind: 'transient';
      reason: string;
      detail?: string;
      retryAfterMs?: number;
    };

function excerpt(text: string): string {
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

async function readBody(
  response: Response,
): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) {
    return { text: '', truncated: false };
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    chunks.push(value);
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      truncated = true;
      await reader.cancel().catch(() => {});
      break;
    }
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  return { text, truncated };
}

/** An error-like value's message; not `instanceof`, which fails across realms. */
function messageOf(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null) {
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string') {
      return message;
    }
  }
  return undefined;
}

/** `network error (ECONNREFUSED)`: the code only, without addresses. */
function networkSummary(error: unknown): string {
  const cause =
    typeof error === 'object' && error !== null
      ? (error as { cause?: unknown }).cause
      : undefined;
  const code =
    typeof cause === 'object' && cause !== null
      ? (cause as { code?: unknown }).code
      : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)
    ? `network error (${code})`
    : 'network error';
}

/** `fetch failed: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9`, for the operators' log. */
function networkReason(error: unknown): string {
  const message = messageOf(error) ?? String(error);
  const cause =
    typeof error === 'object' && error !== null
      ? (error as { cause?: unknown }).cause
      : undefined;
  const causeMessage = messageOf(cause);
  if (causeMessage === undefined) {
    return message;
  }
  const code = (cause as { code?: unknown }).code;
  const prefix =
    typeof code === 'string' && !causeMessage.includes(code) ? `${code} ` : '';
  return `${message}: ${prefix}${causeMessage}`;
}

function abortError(what: string, signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  const reasonMessage = messageOf(reason);
  const error = new Error(
    `${what} was aborted${reasonMessage ? `: ${reasonMessage}` : ''}`,
    { cause: reason },
  );
  error.name = 'AbortError';
  return error;
}

function sleep(ms: number, signal: AbortSignal, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(what, signal));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(what, signal));
    };
    timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reads `externalId` and `credentials` from a 2xx grant response, when it is a JSON object. */
function parseGrantResult(text: string): GrantResult | { error: string } {
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    // A plain-text acknowledgement ("OK") carries no data.
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {};
  }
  const { externalId, credentials } = parsed as {
    externalId?: unknown;
    credentials?: unknown;
  };
  const result: GrantResult = {};
  if (typeof externalId === 'string' && externalId !== '') {
    result.externalId = externalId;
  } else if (typeof externalId === 'number' && Number.isFinite(externalId)) {
    result.externalId = String(externalId);
  } else if (
    externalId !== undefined &&
    externalId !== null &&
    externalId !== ''
  ) {
    return { error: 'externalId must be a string' };
  }
  if (credentials !== undefined && credentials !== null) {
    if (typeof credentials !== 'object' || Array.isArray(credentials)) {
      return { error: 'credentials must be an object of strings' };
    }
    const entries = Object.entries(credentials as Record<string, unknown>);
    const bad = entries.find(([, value]) => typeof value !== 'string');
    if (bad) {
      return { error: `credentials.${bad[0]} must be a string` };
    }
    if (entries.length > 0) {
      result.credentials = Object.fromEntries(entries) as AccessCredentials;
    }
  }
  return result;
}

const observeResponseSchema = z.object({
  items: z.array(
    z.object({
      resourceRef: z.string().min(1),
      permission: z.string().min(1),
      granteeRef: z.string().min(1),
      grantId: z.string().nullish(),
      externalId: z.string().nullish(),
    }),
  ),
});

/**
 * A provisioner that grants and revokes access by sending signed JSON requests to an HTTP
 * endpoint. 2xx means done; 4xx (except 408 and 429) and redirects fail at once with a
 * permanent `ProvisioningError`; 5xx, 408, 429, network errors and timeouts are retried a few
 * times within the call, then reported as a transient error for the access engine to retry
 * later with the same idempotency key.
 */
export function createWebhookProvisioner(
  options: WebhookProvisionerOptions,
): AccessProvisioner {
  for (const [field, url] of [
    ['url', options.url],
    ['observeUrl', options.observeUrl],
  ] as const) {
    if (url !== undefined && /^http:/i.test(url) && !options.allowInsecure) {
      throw new Error(
        `Webhook '${options.id}': ${field} is an http URL, which sends the signed requests in the clear; use https, or set allowInsecure`,
      );
    }
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_WEBHOOK_RETRIES;
  const retryDelayMs = options.retryDelayMs ?? 250;

  /** One HTTP attempt, bounded by the timeout and by the caller's signal. */
  async function attempt(
    request: {
      method: 'GET' | 'POST';
      url: string;
      body: string;
      idempotencyKey?: string;
    },
    signal: AbortSignal,
    what: string,
  ): Promise<Outcome> {
    if (signal.aborted) {
      throw abortError(what, signal);
    }
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'jit-access-webhook',
      [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
      [WEBHOOK_SIGNATURE_HEADER]: computeWebhookSignature({
        secret: options.secret,
        timestamp,
        method: request.method,
        url: request.url,
        body: request.body,
      }),
    };
    if (request.method === 'POST') {
      headers['content-type'] = 'application/json';
    }
    if (request.idempotencyKey !== undefined) {
      headers[WEBHOOK_IDEMPOTENCY_KEY_HEADER] = request.idempotencyKey;
    }

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });

    let response: Response;
    let body: { text: string; truncated: boolean };
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers,
        ...(request.method === 'POST' && { body: request.body }),
        signal: controller.signal,
        // A signed request is never re-sent to wherever a redirect points.
        redirect: 'manual',
      });
      body = await readBody(response);
    } catch (error) {
      if (signal.aborted) {
        throw abortError(what, signal);
      }
      if (timedOut) {
        return { kind: 'transient', reason: `timed out after ${timeoutMs} ms` };
      }
      return {
        kind: 'transient',
        reason: networkSummary(error),
        detail: networkReason(error),
      };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }

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

  /** Attempts a request until it is done, fails permanently or runs out of retries. */
  async function send(
    request: {
      method: 'GET' | 'POST';
      url: string;
      body: string;
      idempotencyKey?: string;
    },
    ctx: Omit<ProvisioningContext, 'idempotencyKey'>,
    what: string,
  ): Promise<{ body: string; truncated: boolean }> {
    const attempts = retries + 1;
    for (let n = 1; ; n++) {
      const outcome = await attempt(request, ctx.signal, what);
      if (outcome.kind === 'done') {
        return { body: outcome.body, truncated: outcome.truncated };
      }
      logDetail(ctx.logger, what, n, outcome);
      if (outcome.kind === 'permanent') {
        throw new ProvisioningError(`${what} was refused: ${outcome.reason}`, {
          permanent: true,
        });
      }
      const tried = `${n} attempt${n === 1 ? '' : 's'}`;
      if (n >= attempts) {
        throw new Error(`${what} failed after ${tried}: ${outcome.reason}`);
      }
      let delay = Math.min(retryDelayMs * 2 ** (n - 1), MAX_RETRY_DELAY_MS);
      if (outcome.retryAfterMs !== undefined) {
        if (outcome.retryAfterMs > MAX_RETRY_AFTER_MS) {
          throw new Error(
            `${what} failed after ${tried}: ${
              outcome.reason
            } (retry after ${Math.ceil(outcome.retryAfterMs / 1000)} s)`,
          );
        }
        delay = Math.max(delay, outcome.retryAfterMs);
      }
      ctx.logger.warn(
        `${what}: attempt ${n} of ${attempts} failed (${outcome.reason}); retrying in ${delay} ms`,
      );
      await sleep(delay, ctx.signal, what);
    }
  }

  function requestBody(
    action: 'grant' | 'revoke',
    target: ProvisioningTarget,
    idempotencyKey: string,
  ): string {
    const body: WebhookRequestBody = {
      action,
      grantId: target.grantId,
      requestId: target.requestId,
      resourceRef: target.resourceRef,
      ...(target.resourceType !== undefined && {
        resourceType: target.resourceType,
      }),
      permission: target.permission,
      granteeRef: target.granteeRef,
      startsAt: target.startsAt,
      endsAt: target.endsAt,
      ...(target.externalId !== undefined && {
        externalId: target.externalId,
      }),
      idempotencyKey,
    };
    // Serialised once: every retry sends the very same bytes.
    return JSON.stringify(body);
  }

  const name = `Webhook '${options.id}'`;

  /** What the server said besides its status goes to the operators' log, never into errors. */
  function logDetail(
    logger: LoggerService,
    what: string,
    n: number,
    outcome: { reason: string; detail?: string },
  ) {
    if (outcome.detail !== undefined) {
      logger.warn(
        `${what}: attempt ${n} answered ${outcome.reason}; ${outcome.detail}`,
      );
    }
  }

  const provisioner: AccessProvisioner = {
    id: options.id,
    ...(options.title !== undefined && { title: options.title }),
    ...(options.accepts !== undefined && {
      serves: { catalog: options.accepts },
    }),
    overlap: 'shared',

    async grant(target, ctx) {
      const what = `${name} grant of ${target.grantId}`;
      const response = await send(
        {
          method: 'POST',
          url: options.url,
          body: requestBody('grant', target, ctx.idempotencyKey),
          idempotencyKey: ctx.idempotencyKey,
        },
        ctx,
        what,
      );
      if (response.truncated) {
        throw new ProvisioningError(
          `${what} succeeded but its response is larger than ${MAX_RESPONSE_BYTES} bytes`,
          { permanent: true },
        );
      }
      const result = parseGrantResult(response.body);
      if ('error' in result) {
        throw new ProvisioningError(
          `${what} succeeded but its response is invalid: ${result.error}`,
          { permanent: true },
        );
      }
      return result;
    },

    async revoke(target, ctx) {
      await send(
        {
          method: 'POST',
          url: options.url,
          body: requestBody('revoke', target, ctx.idempotencyKey),
          idempotencyKey: ctx.idempotencyKey,
        },
        ctx,
        `${name} revoke of ${target.grantId}`,
      );
    },
  };

  const observeUrl = options.observeUrl;
  if (observeUrl !== undefined) {
    provisioner.observe = async ctx => {
      const what = `${name} observe`;
      const response = await send(
        { method: 'GET', url: observeUrl, body: '' },
        ctx,
        what,
      );
      let json: unknown;
      try {
        json = response.truncated ? undefined : JSON.parse(response.body);
      } catch {
        json = undefined;
      }
      if (json === undefined) {
        ctx.logger.warn(
          `${what} returned no JSON body: ${
            excerpt(response.body) || 'empty body'
          }`,
        );
        throw new ProvisioningError(
          `${what} returned no JSON body (expected { "items": [...] })`,
          { permanent: true },
        );
      }
      const parsed = observeResponseSchema.safeParse(json);
      if (!parsed.success) {
        const problems = parsed.error.issues.slice(0, 5).map(
          issue =>
            `${issue.path
              .map(p => (typeof p === 'number' ? `[${p}]` : `.${p}`))
              .join('')
              .replace(/^\./, '')}: ${issue.message}`,
        );
        throw new ProvisioningError(
          `${what} returned an invalid response: ${problems.join('; ')}`,
          { permanent: true },
        );
      }
      return parsed.data.items.map(
        (item): ObservedAccess => ({
          resourceRef: item.resourceRef,
          permission: item.permission,
          granteeRef: item.granteeRef,
          ...(item.grantId !== null &&
            item.grantId !== undefined && { grantId: item.grantId }),
          ...(item.externalId !== null &&
            item.externalId !== undefined && { externalId: item.externalId }),
        }),
      );
    };
  }

  return provisioner;
}
