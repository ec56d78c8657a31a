import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ProvisioningContext,
  ProvisioningError,
} from '@jit-access/plugin-access-node';
import { abortError, networkReason, networkSummary } from './errors';
import { classifyResponse, Outcome } from './outcome';
import {
  computeWebhookSignature,
  WEBHOOK_IDEMPOTENCY_KEY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './signature';

/** The longest wait between two in-call retries. */
const MAX_RETRY_DELAY_MS = 2_000;
/** A `Retry-After` longer than this ends the call; the access engine's backoff takes over. */
const MAX_RETRY_AFTER_MS = 5_000;
/** Response bodies are read up to this size. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** One signed request to the endpoint; `body` is empty for GET. */
export interface WebhookHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  body: string;
  idempotencyKey?: string;
}

/** A 2xx response's body, read up to {@link MAX_RESPONSE_BYTES}. */
export interface WebhookHttpResponse {
  body: string;
  truncated: boolean;
}

/** How the sender signs, bounds and retries its requests. */
export interface WebhookSenderOptions {
  secret: string;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
}

/** Sends a request until it is done; see {@link createWebhookSender}. */
export type WebhookSender = (
  request: WebhookHttpRequest,
  ctx: Omit<ProvisioningContext, 'idempotencyKey'>,
  what: string,
) => Promise<WebhookHttpResponse>;

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

/** The request's headers, signed over its method, URL and body with a fresh timestamp. */
function signedHeaders(
  request: WebhookHttpRequest,
  secret: string,
): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': 'jit-access-webhook',
    [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
    [WEBHOOK_SIGNATURE_HEADER]: computeWebhookSignature({
      secret,
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
  return headers;
}

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

/**
 * Sends signed requests: 2xx means done; a permanent outcome fails at once with a permanent
 * `ProvisioningError`; transient ones are retried with a doubling delay (or the server's
 * `Retry-After`, when it is short enough), then reported as a plain error for the access engine
 * to retry later.
 */
export function createWebhookSender(
  options: WebhookSenderOptions,
): WebhookSender {
  const { secret, timeoutMs, retries, retryDelayMs } = options;

  /** One HTTP attempt, bounded by the timeout and by the caller's signal. */
  async function attempt(
    request: WebhookHttpRequest,
    signal: AbortSignal,
    what: string,
  ): Promise<Outcome> {
    if (signal.aborted) {
      throw abortError(what, signal);
    }
    const headers = signedHeaders(request, secret);

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
    return classifyResponse(response, body);
  }

  /** Attempts a request until it is done, fails permanently or runs out of retries. */
  return async function send(request, ctx, what) {
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
  };
}
