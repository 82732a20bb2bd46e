/** In-place retry settings. */
export interface BackoffPolicy {
  /** Delay cap before the first retry, in ms. */
  readonly initialDelayMs: number;
  /** No delay is ever longer than this, in ms. */
  readonly maxDelayMs: number;
}

/**
 * The delay before in-place retry number `retry` (1 for the first retry): "full jitter",
 * a uniform draw in [0, min(maxDelayMs, initialDelayMs * 2^(retry-1))). Jitter spreads the
 * retries of many consumers that failed at once, so they do not hit a recovering
 * dependency together. `random` returns a number in [0, 1).
 */
export function backoffDelay(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(retry) || retry < 1) {
    throw new RangeError(`retry must be a positive integer, got ${retry}`);
  }
  return Math.floor(random() * backoffCeiling(retry, policy));
}

/** The upper bound of the delay before retry number `retry` (no jitter). */
export function backoffCeiling(retry: number, policy: BackoffPolicy): number {
  // 2^(retry-1) overflows to Infinity for large retry counts; the cap handles it.
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (retry - 1));
}
