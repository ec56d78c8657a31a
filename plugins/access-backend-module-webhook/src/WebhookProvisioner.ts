import {
  AccessProvisioner,
  CatalogAcceptance,
  ProvisioningError,
  ProvisioningTarget,
} from '@jit-access/plugin-access-node';
import { DEFAULT_WEBHOOK_RETRIES, DEFAULT_WEBHOOK_TIMEOUT_MS } from './config';
import { createWebhookSender, MAX_RESPONSE_BYTES } from './http';
import { parseGrantResult, parseObservedAccess } from './responses';

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

/** Wait before the first in-call retry, unless the options say otherwise. */
const DEFAULT_RETRY_DELAY_MS = 250;

/** Refuses `http:` URLs, which would carry the signed requests in the clear, unless allowed. */
function assertSecureUrls(options: WebhookProvisionerOptions) {
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
}

/** The JSON body of a grant or revoke, serialised once: every retry sends the very same bytes. */
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
  return JSON.stringify(body);
}

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
  assertSecureUrls(options);
  const send = createWebhookSender({
    secret: options.secret,
    timeoutMs: options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
    retries: options.retries ?? DEFAULT_WEBHOOK_RETRIES,
    retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
  });
  const name = `Webhook '${options.id}'`;

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
      return parseObservedAccess(response, ctx.logger, what);
    };
  }

  return provisioner;
}
