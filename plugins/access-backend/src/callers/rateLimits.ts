import { CustomErrorBase } from '@backstage/errors';
import { Duration } from 'luxon';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import {
  RateLimitedAction,
  RateLimitsConfig,
} from '../config/rateLimitsConfig';

/** 429: the caller asked too often; `retryAfterSeconds` says when to try again. */
export class TooManyRequestsError extends CustomErrorBase {
  readonly statusCode = 429;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/**
 * Per-user counters in this backend instance's memory. With several instances behind a load
 * balancer, a user can reach up to the limit on each.
 */
export class UserRateLimits {
  private readonly limiters: Partial<
    Record<RateLimitedAction, RateLimiterMemory>
  > = {};

  constructor(private readonly config: RateLimitsConfig) {
    if (!config.enabled) {
      return;
    }
    for (const action of ['submissions', 'decisions'] as const) {
      const { limit, window } = config[action];
      this.limiters[action] = new RateLimiterMemory({
        keyPrefix: action,
        points: limit,
        duration: Duration.fromISO(window).toMillis() / 1000,
      });
    }
  }

  /** Counts one action of the user; throws TooManyRequestsError past the limit. */
  async take(action: RateLimitedAction, userRef: string): Promise<void> {
    const limiter = this.limiters[action];
    if (!limiter) {
      return;
    }
    try {
      await limiter.consume(userRef);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        throw rejection;
      }
      const { limit, window } = this.config[action];
      throw new TooManyRequestsError(
        `Too many ${action}: at most ${limit} per ${window} for each user; try again in ${Math.ceil(
          rejection.msBeforeNext / 1000,
        )} s`,
        Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
      );
    }
  }
}
