/**
 * Reads and validates `access.webhook.endpoints`: every problem is reported at once, each with
 * the exact place it was found, e.g. `access.webhook.endpoints[1].url: Invalid URL`.
 */
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  CatalogAcceptance,
  catalogAcceptanceConfigSchema,
} from '@jit-access/plugin-access-node';
import { z } from 'zod';

/** One validated webhook endpoint, with defaults filled in. */
export interface WebhookEndpointConfig {
  /** The provisioner id: resources with `integration: <id>` are provisioned through it. */
  id: string;
  title?: string;
  /** Receives the signed `grant` and `revoke` POST requests. */
  url: string;
  /** Shared secret for the HMAC-SHA256 signature. */
  secret: string;
  /** Whether `http:` URLs are allowed (requests and answers in the clear). Default false. */
  allowInsecure?: boolean;
  /** How long one HTTP attempt may take. */
  timeoutMs: number;
  /** How many times a failed attempt is retried within one call. */
  retries: number;
  /** Answers signed GET requests with the access that exists now, for reconciliation. */
  observeUrl?: string;
  /** The catalog entities its owners agreed to grant through it; absent: none. */
  accepts?: CatalogAcceptance;
}

/** Used when an endpoint has no `timeout`. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** Used when an endpoint has no `retries`. */
export const DEFAULT_WEBHOOK_RETRIES = 2;
/** The most in-call retries allowed; beyond this the access engine's own backoff is better. */
export const MAX_WEBHOOK_RETRIES = 10;

const ERROR_PREFIX = 'Invalid webhook configuration:';
const ROOT_PATH = 'access.webhook';

// ---------------------------------------------------------------------------------------------
// Durations

const MS_PER = {
  weeks: 7 * 24 * 3600_000,
  days: 24 * 3600_000,
  hours: 3600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
} as const;

type DurationUnit = keyof typeof MS_PER;

const NUMBER = '(\\d+(?:[.,]\\d+)?)';
const ISO_DURATION = new RegExp(
  `^P(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`,
  'i',
);

/**
 * Milliseconds of an ISO-8601 duration without years and months (`PT10S`, `PT1M30S`, `P1D`),
 * or an explanation of what is wrong with it.
 */
function isoDurationMillis(value: string): number | { error: string } {
  const match = ISO_DURATION.exec(value.trim());
  if (!match || value.trim().toUpperCase().endsWith('T')) {
    return {
      error: `Invalid ISO-8601 duration '${value}' (e.g. PT10S, PT1M; years and months are not supported)`,
    };
  }
  const units: DurationUnit[] = [
    'weeks',
    'days',
    'hours',
    'minutes',
    'seconds',
  ];
  const parts = match.slice(1);
  if (parts.every(part => part === undefined)) {
    return { error: `Invalid ISO-8601 duration '${value}' (e.g. PT10S)` };
  }
  return units.reduce(
    (sum, unit, index) =>
      sum + Number((parts[index] ?? '0').replace(',', '.')) * MS_PER[unit],
    0,
  );
}

const humanDurationSchema = z
  .object({
    weeks: z.number().nonnegative().optional(),
    days: z.number().nonnegative().optional(),
    hours: z.number().nonnegative().optional(),
    minutes: z.number().nonnegative().optional(),
    seconds: z.number().nonnegative().optional(),
    milliseconds: z.number().nonnegative().optional(),
  })
  .strict();

/** `PT10S` or `{ seconds: 10 }`, as milliseconds; must be longer than zero. */
const durationSchema = z
  .union([z.string(), humanDurationSchema], {
    errorMap: () => ({
      message:
        'Expected an ISO-8601 duration (e.g. PT10S) or an object such as { seconds: 10 }',
    }),
  })
  .transform((value, ctx) => {
    let millis: number;
    if (typeof value === 'string') {
      const parsed = isoDurationMillis(value);
      if (typeof parsed !== 'number') {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.error });
        return z.NEVER;
      }
      millis = parsed;
    } else {
      millis = (Object.keys(value) as DurationUnit[]).reduce(
        (sum, unit) => sum + (value[unit] ?? 0) * MS_PER[unit],
        0,
      );
    }
    if (!(millis > 0) || !Number.isFinite(millis)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'Duration must be longer than zero',
      });
      return z.NEVER;
    }
    return Math.round(millis);
  });

// ---------------------------------------------------------------------------------------------
// Endpoints

const nonEmptyString = z
  .string({ required_error: 'Required' })
  .refine(value => value.trim() !== '', 'Must not be empty');

const httpUrl = z
  .string({ required_error: 'Required' })
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `Invalid URL '${value}'`,
      });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `URL must use http or https, not '${url.protocol.replace(
          /:$/,
          '',
        )}'`,
      });
    }
  });

const endpointSchema = z
  .object({
    id: nonEmptyString,
    title: z.string().optional(),
    url: httpUrl,
    secret: nonEmptyString,
    timeout: durationSchema.optional(),
    retries: z
      .number()
      .int('Must be a whole number')
      .min(0, 'Must not be negative')
      .max(MAX_WEBHOOK_RETRIES, `Must be at most ${MAX_WEBHOOK_RETRIES}`)
      .optional(),
    observeUrl: httpUrl.optional(),
    accepts: catalogAcceptanceConfigSchema.optional(),
    allowInsecure: z.boolean().optional(),
  })
  .strict()
  .superRefine((endpoint, ctx) => {
    if (endpoint.allowInsecure) {
      return;
    }
    for (const field of ['url', 'observeUrl'] as const) {
      const value = endpoint[field];
      if (typeof value === 'string' && /^http:/i.test(value.trim())) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [field],
          message:
            'http sends the signed requests, and the credentials in the answers, in the clear: use https, or set allowInsecure: true on this endpoint (for a receiver on the same host or a network you trust)',
        });
      }
    }
  })
  .transform(
    (e): WebhookEndpointConfig => ({
      id: e.id,
      ...(e.title !== undefined && { title: e.title }),
      url: e.url,
      secret: e.secret,
      ...(e.allowInsecure && { allowInsecure: true }),
      timeoutMs: e.timeout ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
      retries: e.retries ?? DEFAULT_WEBHOOK_RETRIES,
      ...(e.observeUrl !== undefined && { observeUrl: e.observeUrl }),
      ...(e.accepts !== undefined && { accepts: e.accepts }),
    }),
  );

const webhookConfigSchema = z
  .object({
    endpoints: z.array(endpointSchema).default([]),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Errors

type IssuePath = (string | number)[];

interface Issue {
  path: IssuePath;
  message: string;
}

function formatPath(path: IssuePath): string {
  return path.reduce<string>(
    (result, segment) =>
      typeof segment === 'number'
        ? `${result}[${segment}]`
        : `${result}.${segment}`,
    ROOT_PATH,
  );
}

function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.flatMap((issue): Issue[] => {
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      return issue.keys.map(key => ({
        path: [...issue.path, key],
        message: 'Unknown field',
      }));
    }
    return [{ path: issue.path, message: issue.message }];
  });
}

/** Ids used twice, checked on the raw input so they are reported alongside other errors. */
function duplicateIdIssues(raw: unknown): Issue[] {
  const endpoints =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw)
      ? (raw as { endpoints?: unknown }).endpoints
      : undefined;
  if (!Array.isArray(endpoints)) {
    return [];
  }
  const seen = new Map<string, number>();
  const issues: Issue[] = [];
  endpoints.forEach((entry, index) => {
    const id =
      typeof entry === 'object' && entry !== null
        ? (entry as { id?: unknown }).id
        : undefined;
    if (typeof id !== 'string' || id.trim() === '') {
      return;
    }
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, index);
    } else {
      issues.push({
        path: ['endpoints', index, 'id'],
        message: `Duplicate id '${id}' (also used by ${ROOT_PATH}.endpoints[${first}])`,
      });
    }
  });
  return issues;
}

/**
 * Reads `access.webhook.endpoints` from the root config. An absent section means no endpoints.
 *
 * @throws InputError whose message starts with `Invalid webhook configuration:` and lists every
 *   problem, one per line, e.g. `access.webhook.endpoints[1].url: Invalid URL 'nope'`.
 */
export function readWebhookEndpointsConfig(
  config: Config,
): WebhookEndpointConfig[] {
  const raw = config.getOptional(ROOT_PATH) ?? {};
  const result = webhookConfigSchema.safeParse(raw);
  const issues = [
    ...(result.success ? [] : zodIssues(result.error)),
    ...duplicateIdIssues(raw),
  ];
  if (issues.length > 0 || !result.success) {
    throw new InputError(
      [
        ERROR_PREFIX,
        ...issues.map(issue => `${formatPath(issue.path)}: ${issue.message}`),
      ].join('\n'),
    );
  }
  return result.data.endpoints;
}
