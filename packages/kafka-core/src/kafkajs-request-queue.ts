// kafkajs 2.2.4's RequestQueue re-arms its "send what is pending" timer after every check, even
// when nothing is pending, at `throttledUntil - now`, which is negative when the broker never
// throttled (throttledUntil starts at -1). Node runs a negative timer after 1 ms, so every
// broker connection that ever queued a request spins a 1 ms timer for the rest of its life
// (kafkajs#1556, #1704: idle CPU), and Node 24 and later print a TimeoutNegativeWarning for it
// in every service (kafkajs#1751). kafkajs is pinned to 2.2.4 and frozen upstream, so the SDK
// owns this one method: it schedules a check only while requests wait, at the end of the
// throttle or after 10 ms (kafkajs's own interval, for the in-flight limit and a throttle
// that ends within the millisecond, kafkajs#1532).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The fields and methods of kafkajs's RequestQueue that the schedule reads. */
interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const RequestQueue = require('kafkajs/src/network/requestQueue') as {
  prototype: RequestQueueInternals;
};

/** kafkajs's CHECK_PENDING_REQUESTS_INTERVAL. */
export const pendingCheckIntervalMs = 10;

/** When a queue should next look at its pending requests; undefined when none wait. */
export function nextPendingCheckMs(
  pendingCount: number,
  throttledUntil: number,
  now: number,
): number | undefined {
  if (pendingCount === 0) return undefined;
  const untilUnthrottled = throttledUntil - now;
  return untilUnthrottled > 0 ? untilUnthrottled : pendingCheckIntervalMs;
}

function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId) return;
  const delay = nextPendingCheckMs(this.pending.length, this.throttledUntil, Date.now());
  if (delay === undefined) return;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

/**
 * Replaces kafkajs's pending-request schedule with one that arms no timer while nothing waits.
 * Idempotent; every kafkajs client the SDK creates calls it.
 */
export function fixKafkaJsRequestQueue(): void {
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
}
