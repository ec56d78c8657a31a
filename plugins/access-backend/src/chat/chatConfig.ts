import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Duration } from 'luxon';
import { RetryPolicy } from '../engine/backoff';

/** How long before access ends its people hear "expiring soon", by default. */
export const DEFAULT_EXPIRING_SOON_BEFORE = 'PT1H';

/**
 * The core's own chat setting, `access.chat.expiringSoonBefore` (an ISO-8601 duration); each
 * chat module reads its own section (`access.chat.slack`, `access.chat.teams`).
 */
export function readExpiringSoonBefore(config: Config): number {
  const value =
    config.getOptionalString('access.chat.expiringSoonBefore') ??
    DEFAULT_EXPIRING_SOON_BEFORE;
  const duration = Duration.fromISO(value);
  if (!duration.isValid || duration.toMillis() <= 0) {
    throw new InputError(
      `Invalid access configuration:\naccess.chat.expiringSoonBefore: '${value}' is not a positive ISO-8601 duration (e.g. PT1H)`,
    );
  }
  return duration.toMillis();
}

/** How chat deliveries retry, by default: vendors' outages are longer than a grant's. */
export const DEFAULT_CHAT_RETRY = {
  maxAttempts: 10,
  initialDelay: 'PT5S',
  maxDelay: 'PT10M',
};

function positiveMillis(path: string, value: string): number {
  const duration = Duration.fromISO(value);
  if (!duration.isValid || duration.toMillis() <= 0) {
    throw new InputError(
      `Invalid access configuration:\n${path}: '${value}' is not a positive ISO-8601 duration`,
    );
  }
  return duration.toMillis();
}

/** `access.chat.retry`: { maxAttempts, initialDelay, maxDelay } over the defaults. */
export function readChatRetry(config: Config): RetryPolicy {
  const section = config.getOptionalConfig('access.chat.retry');
  const maxAttempts =
    section?.getOptionalNumber('maxAttempts') ?? DEFAULT_CHAT_RETRY.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new InputError(
      'Invalid access configuration:\naccess.chat.retry.maxAttempts: must be a whole number of at least 1',
    );
  }
  return {
    maxAttempts,
    initialDelayMs: positiveMillis(
      'access.chat.retry.initialDelay',
      section?.getOptionalString('initialDelay') ??
        DEFAULT_CHAT_RETRY.initialDelay,
    ),
    maxDelayMs: positiveMillis(
      'access.chat.retry.maxDelay',
      section?.getOptionalString('maxDelay') ?? DEFAULT_CHAT_RETRY.maxDelay,
    ),
  };
}
