/** The Java producer's retry.backoff.ms and retry.backoff.max.ms defaults (KIP-580). */
export const retryBackoff = { initialMs: 100, maxMs: 1_000, jitter: 0.2 } as const;

/**
 * The wait before a partition's next attempt after `failures` failed rounds in a row:
 * exponential from 100 ms, capped at 1 s, with ±20% jitter so that producers that failed
 * together do not retry together. `random` returns a number in [0, 1).
 */
export function retryBackoffMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(
    retryBackoff.maxMs,
    retryBackoff.initialMs * 2 ** Math.max(0, failures - 1),
  );
  const factor = 1 - retryBackoff.jitter + random() * 2 * retryBackoff.jitter;
  return Math.round(base * factor);
}
