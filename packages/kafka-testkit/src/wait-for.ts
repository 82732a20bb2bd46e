import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaTestkitError } from './errors.js';

export interface WaitForOptions {
  /** Default 30 000. */
  readonly timeoutMs?: number;
  /** Default 100. */
  readonly intervalMs?: number;
  /** What is being waited for, used in the timeout error. */
  readonly description?: string;
}

/**
 * Resolves once `predicate` returns true; a throwing predicate counts as false. Rejects
 * with TESTKIT_TIMEOUT (naming the last error, if any) when the time is up.
 */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  const { timeoutMs = 30_000, intervalMs = 100, description = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await predicate()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new KafkaTestkitError(
        'TESTKIT_TIMEOUT',
        `Timed out after ${timeoutMs} ms waiting for ${description}${why}`,
        { cause: lastError },
      );
    }
    await sleep(intervalMs);
  }
}
