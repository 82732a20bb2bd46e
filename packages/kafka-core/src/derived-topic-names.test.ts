import { describe, expect, it } from 'vitest';
import {
  deadLetterTopicName,
  isDerivedTopicName,
  parseRetryTopic,
  retryTopicName,
} from './derived-topic-names.js';

describe('derived topic names', () => {
  it('formats and parses back', () => {
    expect(retryTopicName('orders', 1)).toBe('orders.retry.1');
    expect(deadLetterTopicName('orders')).toBe('orders.dlq');
    for (const [source, tier] of [
      ['orders', 1],
      ['a.b', 12],
      ['x.retry.3', 2],
    ] as const) {
      expect(parseRetryTopic(retryTopicName(source, tier))).toEqual({ source, tier });
    }
  });

  it.each<[string, { source: string; tier: number } | undefined, boolean]>([
    ['orders.retry.1', { source: 'orders', tier: 1 }, true],
    ['orders.retry.12', { source: 'orders', tier: 12 }, true],
    ['orders', undefined, false],
    ['orders.retry', undefined, false],
    ['orders.retry.1.dlq', undefined, true],
    ['orders.dlq', undefined, true],
    ['.retry.1', undefined, false],
    ['.dlq', undefined, false],
    ['orders.retry.x', undefined, false],
  ])('%s', (topic, parsed, derived) => {
    expect(parseRetryTopic(topic)).toEqual(parsed);
    expect(isDerivedTopicName(topic)).toBe(derived);
  });
});
