import { describe, expect, it } from 'vitest';
import { deadLetterTopicName, retryTopicName } from '@org/kafka-core';
import { nextStep, type RetryPolicy } from './retry-route.js';

const policy: RetryPolicy = {
  attempts: 3,
  initialDelayMs: 100,
  maxDelayMs: 1_000,
  retryTopicDelaysMs: [1_000, 10_000, 60_000],
};
const base = { sourceTopic: 'orders', tier: 0, failedAttempts: 1, retriable: true, now: 1_000_000 };
const half = () => 0.5;

describe('topic names', () => {
  it('follow <topic>.retry.<n> and <topic>.dlq', () => {
    expect(retryTopicName('orders', 1)).toBe('orders.retry.1');
    expect(deadLetterTopicName('orders')).toBe('orders.dlq');
  });
});

describe('nextStep', () => {
  it.each([
    [{ failedAttempts: 1 }, { kind: 'retry-in-place', delayMs: 50 }],
    [{ failedAttempts: 2 }, { kind: 'retry-in-place', delayMs: 100 }],
    [
      { failedAttempts: 3 },
      { kind: 'retry-topic', topic: 'orders.retry.1', tier: 1, dueAt: 1_001_000 },
    ],
    [
      { tier: 1, failedAttempts: 1 },
      { kind: 'retry-topic', topic: 'orders.retry.2', tier: 2, dueAt: 1_010_000 },
    ],
    [
      { tier: 2, failedAttempts: 1 },
      { kind: 'retry-topic', topic: 'orders.retry.3', tier: 3, dueAt: 1_060_000 },
    ],
    [
      { tier: 3, failedAttempts: 1 },
      { kind: 'dead-letter', topic: 'orders.dlq', reason: 'exhausted' },
    ],
    [{ retriable: false }, { kind: 'dead-letter', topic: 'orders.dlq', reason: 'non-retriable' }],
    [
      { tier: 2, retriable: false },
      { kind: 'dead-letter', topic: 'orders.dlq', reason: 'non-retriable' },
    ],
  ])('%j -> %j', (failure, expected) => {
    expect(nextStep({ ...base, ...failure }, policy, half)).toEqual(expected);
  });

  it('with attempts 1 goes to the first retry topic at once', () => {
    expect(nextStep(base, { ...policy, attempts: 1 }, half)).toMatchObject({
      kind: 'retry-topic',
      tier: 1,
    });
  });

  it('without retry topics dead-letters after the in-place attempts', () => {
    expect(
      nextStep({ ...base, failedAttempts: 3 }, { ...policy, retryTopicDelaysMs: [] }, half),
    ).toEqual({
      kind: 'dead-letter',
      topic: 'orders.dlq',
      reason: 'exhausted',
    });
  });
});
