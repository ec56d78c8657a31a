import { Duration } from 'luxon';
import { z } from 'zod';

/** What the per-user limits count: asking for access, and deciding on it. */
export type RateLimitedAction = 'submissions' | 'decisions';

const isoDuration = z
  .string()
  .refine(
    value =>
      Duration.fromISO(value).isValid &&
      Duration.fromISO(value).toMillis() >= 1000,
    'must be an ISO-8601 duration of at least one second, e.g. PT1M',
  );

const limitSchema = (limit: number) =>
  z
    .object({
      /** How many in one window, per user. */
      limit: z.number().int().positive().default(limit),
      /** ISO-8601 length of the window. */
      window: isoDuration.default('PT1M'),
    })
    .strict()
    .default({});

/**
 * `access.rateLimits`: generous per-user limits, on by default, so one account (or a script
 * with its token) cannot flood approvers with requests or decide in a tight loop.
 */
export const rateLimitsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Submissions, requests again, favorites requested and extensions. */
    submissions: limitSchema(60),
    /** Approvals and rejections. */
    decisions: limitSchema(300),
  })
  .strict()
  .default({});

export type RateLimitsConfig = z.infer<typeof rateLimitsSchema>;
