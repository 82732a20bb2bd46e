import type { Logger } from '@org/kafka-core';

// kafkajs signals a rebalance through these error types (its own isRebalancing list).
const rebalanceTypes = new Set([
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'ILLEGAL_GENERATION',
]);

export function isRebalanceError(err: unknown): boolean {
  return rebalanceTypes.has((err as { type?: unknown } | null)?.type as string);
}

/**
 * Keeps the member alive while one batch is processed: one heartbeat timer for the whole
 * batch, so a long handler or an in-place backoff does not get the member removed from the
 * group, and it notices a rebalance or a stop so processing ends early. `close()` it when
 * the batch is done.
 */
export class BatchControl {
  /** Set when a heartbeat said the group is rebalancing; the batch ends after the current record. */
  rebalance: Error | undefined;
  // Aborted on a stop or a rebalance: cuts a backoff short.
  private readonly ended = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly heartbeat: () => Promise<void>,
    heartbeatIntervalMs: number,
    /** Aborted when the consumer is asked to stop. */
    private readonly stopping: AbortSignal,
    private readonly logger: Logger,
  ) {
    // kafkajs sends a heartbeat only when its interval has passed, so beating on the same
    // interval costs at most one request per interval.
    this.timer = setInterval(() => void this.beat(), heartbeatIntervalMs);
    if (stopping.aborted) this.ended.abort();
    else stopping.addEventListener('abort', this.onStop, { once: true });
  }

  private readonly onStop = () => this.ended.abort();

  /** Aborted when the batch should take no further record (a stop or a rebalance). */
  get signal(): AbortSignal {
    return this.ended.signal;
  }

  /** Whether the batch should take no further record. */
  get ending(): boolean {
    return this.ended.signal.aborted;
  }

  private async beat(): Promise<void> {
    try {
      await this.heartbeat();
    } catch (err) {
      if (isRebalanceError(err)) {
        this.rebalance ??= err as Error;
        this.ended.abort();
      }
      // Other heartbeat failures (a broker restarting) are kafkajs's to recover from.
      else this.logger.debug('heartbeat failed', { error: (err as Error).message });
    }
  }

  /**
   * Waits `ms` (heartbeats go on meanwhile). False when the wait was cut short by a stop or
   * a rebalance: the record is then left unfinished, to be delivered again.
   */
  sleep(ms: number): Promise<boolean> {
    if (this.ending) return Promise.resolve(false);
    // A zero wait (full jitter draws 0 now and then) skips the timer's 1 ms minimum but still
    // yields to the event loop, so a loop of zero waits cannot starve timers and I/O.
    if (ms <= 0) return new Promise((resolve) => setImmediate(() => resolve(!this.ending)));
    return new Promise((resolve) => {
      const signal = this.ended.signal;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve(!signal.aborted);
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Stops the heartbeats of this batch. */
  close(): void {
    clearInterval(this.timer);
    this.stopping.removeEventListener('abort', this.onStop);
  }
}
