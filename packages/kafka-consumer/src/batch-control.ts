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
 * Keeps the member alive while one batch is processed: heartbeats while a handler runs
 * and while an in-place retry backs off (so a long handler does not get the member
 * removed from the group), and notices a rebalance or a stop so processing ends early.
 */
export class BatchControl {
  /** Set when a heartbeat said the group is rebalancing; the batch ends after the current record. */
  rebalance: Error | undefined;

  constructor(
    private readonly heartbeat: () => Promise<void>,
    private readonly heartbeatIntervalMs: number,
    /** Aborted when the consumer is asked to stop. */
    private readonly stopping: AbortSignal,
    private readonly logger: Logger,
  ) {}

  /** Whether the batch should take no further record. */
  get ending(): boolean {
    return this.rebalance !== undefined || this.stopping.aborted;
  }

  async beat(): Promise<void> {
    try {
      await this.heartbeat();
    } catch (err) {
      if (isRebalanceError(err)) this.rebalance ??= err as Error;
      // Other heartbeat failures (a broker restarting) are kafkajs's to recover from.
      else this.logger.debug('heartbeat failed', { error: (err as Error).message });
    }
  }

  /** Runs `work` with heartbeats every interval until it settles. */
  async keepAlive<T>(work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => void this.beat(), this.heartbeatIntervalMs);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  /**
   * Waits `ms` with heartbeats. False when the wait was cut short by a stop or a rebalance:
   * the record is then left unfinished, to be delivered again.
   */
  async sleep(ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (!this.ending) {
      const left = until - Date.now();
      if (left <= 0) return true;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.stopping.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, this.heartbeatIntervalMs));
        this.stopping.addEventListener('abort', done, { once: true });
      });
      await this.beat();
    }
    return false;
  }
}
