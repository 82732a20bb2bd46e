import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  fixKafkaJsRequestQueue,
  nextPendingCheckMs,
  pendingCheckIntervalMs,
} from './kafkajs-request-queue.js';

const require = createRequire(import.meta.url);

interface Queue {
  pending: unknown[];
  inflight: Map<number, unknown>;
  throttledUntil: number;
  maxInFlightRequests: number | null;
  checkPendingRequests(): void;
  sendSocketRequest(request: unknown): void;
  destroy(): void;
}

const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => Queue;
const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

function queue(): Queue {
  const q = new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: 'localhost:9092',
    logger: quietLogger,
  });
  const sent: unknown[] = [];
  q.sendSocketRequest = (request) => sent.push(request);
  return Object.assign(q, { sent });
}

describe('nextPendingCheckMs', () => {
  it.each([
    // pending, throttledUntil, now, expected
    [0, -1, 1_000, undefined],
    [0, 5_000, 1_000, undefined],
    [1, -1, 1_000, pendingCheckIntervalMs],
    [1, 1_000, 1_000, pendingCheckIntervalMs],
    [3, 1_250, 1_000, 250],
    [1, 1_001, 1_000, 1],
  ])('%i pending, throttled until %i, now %i: %s', (pending, until, now, expected) => {
    expect(nextPendingCheckMs(pending, until, now)).toBe(expected);
  });
});

describe('fixKafkaJsRequestQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    fixKafkaJsRequestQueue();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('arms no timer once the pending requests are sent (kafkajs spun a 1 ms timer for ever)', () => {
    const q = queue();
    q.checkPendingRequests();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(100);
    expect(vi.getTimerCount()).toBe(0);
    q.destroy();
  });

  it('never passes a negative delay to setTimeout (Node 24 warns about each)', () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const q = queue();
    q.pending.push({ id: 1 });
    q.throttledUntil = -1;
    q.checkPendingRequests();
    q.pending.push({ id: 2 });
    q.inflight.set(1, {});
    q.checkPendingRequests();
    vi.advanceTimersByTime(50);
    for (const [, delay] of setTimeoutSpy.mock.calls) expect(delay ?? 0).toBeGreaterThanOrEqual(0);
    q.destroy();
    setTimeoutSpy.mockRestore();
  });

  it('sends a request that waits for a throttle when the throttle ends', () => {
    const q = queue() as Queue & { sent: unknown[] };
    q.throttledUntil = Date.now() + 300;
    q.pending.push({ id: 1 });
    q.checkPendingRequests();
    expect(q.sent).toEqual([]);
    vi.advanceTimersByTime(299);
    expect(q.sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(q.sent).toEqual([{ id: 1 }]);
    expect(vi.getTimerCount()).toBe(0);
    q.destroy();
  });

  it('keeps looking every 10 ms while the in-flight limit holds requests back', () => {
    const q = queue() as Queue & { sent: unknown[] };
    q.inflight.set(1, {});
    q.pending.push({ id: 2 });
    q.checkPendingRequests();
    vi.advanceTimersByTime(30);
    expect(q.sent).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);
    q.inflight.clear();
    vi.advanceTimersByTime(pendingCheckIntervalMs);
    expect(q.sent).toEqual([{ id: 2 }]);
    expect(vi.getTimerCount()).toBe(0);
    q.destroy();
  });
});
