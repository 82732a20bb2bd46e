import { describe, expect, it } from 'vitest';
import { isRetryTopic, summarizeGroup, type SummarizedPartition } from './group-summary.js';

const part = (overrides: Partial<SummarizedPartition> = {}): SummarizedPartition => ({
  topic: 'orders',
  partition: 0,
  lag: 0,
  lagSeconds: 0,
  status: 'OK',
  complete: 1,
  ...overrides,
});

describe('isRetryTopic', () => {
  it.each([
    ['orders.retry.1', true],
    ['orders.retry.12', true],
    ['orders', false],
    ['orders.retry', false],
    ['orders.retry.1.dlq', false],
    ['orders.dlq', false],
  ])('%s -> %s', (topic, expected) => {
    expect(isRetryTopic(topic)).toBe(expected);
  });
});

describe('summarizeGroup', () => {
  it('takes the worst judged status and its severity', () => {
    const summary = summarizeGroup([
      part({ status: 'OK' }),
      part({ partition: 1, status: 'WARN' }),
      part({ partition: 2, status: 'STALL' }),
    ]);
    expect(summary.status).toBe('STALL');
    expect(summary.severity).toBe('ERR');
  });

  it('never judges a retry-topic partition, and it cannot hold the group at "not judged yet"', () => {
    const summary = summarizeGroup([
      part({ status: 'OK', complete: 1 }),
      // A retry partition first used late: one sample in its window.
      part({ topic: 'orders.retry.1', status: 'STOP', complete: 0.1, lag: 1, lagSeconds: 14 }),
    ]);
    expect(summary.status).toBe('OK');
    expect(summary.complete).toBe(1);
    // Its lag is still reported.
    expect(summary.totalLag).toBe(1);
    expect(summary.maxLagSeconds).toBe(14);
  });

  it('leaves partitions without a commit out of status and completeness', () => {
    const summary = summarizeGroup([
      part({ complete: 0.5 }),
      part({ partition: 1, status: 'NO_COMMIT', complete: 0, lag: null, lagSeconds: null }),
    ]);
    expect(summary.complete).toBe(0.5);
    expect(summary.status).toBe('OK');
  });

  it('is an empty window, not a full one, when nothing is judged', () => {
    expect(summarizeGroup([]).complete).toBe(0);
    expect(
      summarizeGroup([
        part({ status: 'NO_COMMIT', complete: 0, lag: null, lagSeconds: null }),
        part({ topic: 'orders.retry.1', complete: 1 }),
      ]).complete,
    ).toBe(0);
  });

  it('takes the least complete judged window', () => {
    expect(
      summarizeGroup([
        part({ complete: 1 }),
        part({ partition: 1, complete: 0.3 }),
        part({ partition: 2, complete: 0.7 }),
      ]).complete,
    ).toBe(0.3);
  });

  it('sums known lag, finds the partition furthest behind, and the largest time lag', () => {
    const summary = summarizeGroup([
      part({ partition: 0, lag: 20, lagSeconds: 2 }),
      part({ partition: 1, lag: 100, lagSeconds: 1.5 }),
      part({ partition: 2, status: 'NO_COMMIT', lag: null, lagSeconds: null }),
      part({ partition: 3, lag: 100, lagSeconds: 12.5 }),
    ]);
    expect(summary.totalLag).toBe(220);
    // The first of equal lags stays.
    expect(summary.maxLag).toEqual({ topic: 'orders', partition: 1, lag: 100 });
    expect(summary.maxLagSeconds).toBe(12.5);
  });

  it('has no maximum when no lag is known', () => {
    const summary = summarizeGroup([
      part({ status: 'NO_COMMIT', complete: 0, lag: null, lagSeconds: null }),
    ]);
    expect(summary).toEqual({
      status: 'OK',
      severity: 'OK',
      complete: 0,
      totalLag: 0,
      maxLag: null,
      maxLagSeconds: null,
    });
  });
});
