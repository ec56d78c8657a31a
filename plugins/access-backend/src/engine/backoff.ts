/** How the engine retries a provisioner call that failed for a reason that may pass. */
export interface RetryPolicy {
  /** Calls in all, the first included, before the grant fails. */
  maxAttempts: number;
  /** Delay after the first failure; doubled after each further one. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  initialDelayMs: 2_000,
  maxDelayMs: 5 * 60_000,
};

/** The wait before the next call after `attempts` failed calls: capped exponential backoff. */
export function retryDelayMs(attempts: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
}
