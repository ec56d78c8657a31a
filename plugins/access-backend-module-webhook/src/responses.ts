import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AccessCredentials,
  GrantResult,
  ObservedAccess,
  ProvisioningError,
} from '@jit-access/plugin-access-node';
import { z } from 'zod';
import { WebhookHttpResponse } from './http';
import { excerpt } from './outcome';

/** Reads `externalId` and `credentials` from a 2xx grant response, when it is a JSON object. */
export function parseGrantResult(
  text: string,
): GrantResult | { error: string } {
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
 * Reads the `{ "items": [...] }` an observe endpoint answers. A body that is not JSON goes (as an
 * excerpt) to the operators' log only; either problem fails permanently.
 */
export function parseObservedAccess(
  response: WebhookHttpResponse,
  logger: LoggerService,
  what: string,
): ObservedAccess[] {
  let json: unknown;
  try {
    json = response.truncated ? undefined : JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  if (json === undefined) {
    logger.warn(
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
}
