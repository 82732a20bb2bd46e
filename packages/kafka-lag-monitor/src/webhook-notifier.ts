import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@org/kafka-core';

export interface WebhookOptions {
  /** Attempts per message, the first included. */
  readonly attempts: number;
  /** Wait before the first retry; doubled at each retry up to `maxBackoffMs`. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** Per request. */
  readonly timeoutMs: number;
  /** Messages waiting per endpoint; past it the oldest waiting is dropped (and logged). */
  readonly queueLimit: number;
}

export const webhookDefaults: WebhookOptions = {
  attempts: 6,
  backoffMs: 1_000,
  maxBackoffMs: 30_000,
  timeoutMs: 10_000,
  queueLimit: 1_000,
};

/**
 * Where a log line may say a message went: the origin only. A webhook's path and query
 * often carry its token (Slack, Teams, Discord), so they never reach a log.
 */
export function endpointName(url: string): string {
  return new URL(url).origin;
}

/** Retrying helps after a network error, a timeout, 408, 425, 429 and any 5xx; not after other 4xx. */
const retriableStatus = (status: number) =>
  status === 408 || status === 425 || status === 429 || status >= 500;

/**
 * Posts JSON messages to one endpoint, one at a time and in order (a recovery never arrives
 * before the fall it ends), each retried with exponential backoff. `post()` only queues, so
 * the sampling rounds never wait for an endpoint.
 */
export class WebhookEndpoint {
  /** Messages waiting; the one being delivered is not among them. */
  private readonly queue: unknown[] = [];
  private inFlight = false;
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  /** Messages delivered, given up on, and dropped from a full queue. */
  readonly counts = { delivered: 0, failed: 0, dropped: 0 };

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly options: WebhookOptions = webhookDefaults,
  ) {
    const protocol = new URL(url).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new TypeError(`notify URL must be http or https, got ${protocol}`);
    }
  }

  post(message: unknown): void {
    if (this.stopping.signal.aborted) return;
    this.queue.push(message);
    if (this.queue.length > this.options.queueLimit) {
      this.queue.shift();
      this.counts.dropped++;
      this.logger.warn('notification dropped: too many waiting', {
        endpoint: endpointName(this.url),
      });
    }
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  /**
   * Waits up to `graceMs` for what is queued to be delivered, then aborts the rest (logged
   * with the number left undelivered).
   */
  async close(graceMs: number): Promise<void> {
    const drained = this.running ?? Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>(
      (resolve) => (timer = setTimeout(() => resolve('late'), graceMs)),
    );
    const outcome = await Promise.race([drained.then(() => 'done' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'late') {
      const left = this.queue.length + (this.inFlight ? 1 : 0);
      this.queue.length = 0;
      this.stopping.abort();
      await drained;
      this.logger.warn('notifications left undelivered at stop', {
        endpoint: endpointName(this.url),
        messages: left,
      });
    }
    this.stopping.abort();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopping.signal.aborted) {
      const message = this.queue.shift();
      this.inFlight = true;
      await this.deliver(message);
      this.inFlight = false;
    }
  }

  private async deliver(message: unknown): Promise<void> {
    const body = JSON.stringify(message);
    const endpoint = endpointName(this.url);
    let wait = this.options.backoffMs;
    for (let attempt = 1; ; attempt++) {
      let failure: string;
      let retriable = true;
      try {
        const res = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.any([
            this.stopping.signal,
            AbortSignal.timeout(this.options.timeoutMs),
          ]),
        });
        await res.body?.cancel();
        if (res.ok) {
          this.counts.delivered++;
          return;
        }
        failure = `HTTP ${res.status}`;
        retriable = retriableStatus(res.status);
      } catch (err) {
        if (this.stopping.signal.aborted) return;
        // The cause's code (ECONNREFUSED, ENOTFOUND), never its message: that may hold the URL.
        const code = ((err as Error).cause as { code?: unknown } | undefined)?.code;
        failure =
          (err as Error).name === 'TimeoutError'
            ? 'timed out'
            : typeof code === 'string'
              ? code
              : 'network error';
      }
      if (!retriable || attempt >= this.options.attempts) {
        this.counts.failed++;
        this.logger.warn('notification not delivered', { endpoint, attempts: attempt, failure });
        return;
      }
      this.logger.debug('notification failed; retrying', {
        endpoint,
        attempt,
        failure,
        waitMs: wait,
      });
      // Resolves after the wait, rejects as soon as close() aborts: then nothing is retried.
      const slept = await sleep(wait, undefined, { signal: this.stopping.signal }).then(
        () => true,
        () => false,
      );
      if (!slept) return;
      wait = Math.min(wait * 2, this.options.maxBackoffMs);
    }
  }
}
