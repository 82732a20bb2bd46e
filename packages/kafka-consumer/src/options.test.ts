import { describe, expect, it } from 'vitest';
import { ConfigError } from '@org/kafka-core';
import { consumerDefaults, resolveConsumerOptions, type ConsumerOptions } from './options.js';

const handler = () => Promise.resolve();
const base = { brokers: ['a:9092'], groupId: 'g', topics: ['orders'], eachMessage: handler };

function issues(input: unknown): string {
  try {
    resolveConsumerOptions(input as ConsumerOptions);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected the options to be refused');
}

describe('resolveConsumerOptions', () => {
  it('applies the defaults and gives every topic the consumer-wide retry policy', () => {
    const o = resolveConsumerOptions(base);
    expect(o.topics).toEqual([{ topic: 'orders', retry: consumerDefaults.retry }]);
    expect(o.keyOrdering).toBe('relaxed');
    expect(o.startFrom).toBe('earliest');
    expect(o.partitionConcurrency).toBe(3);
    expect(o.provisionTopics).toBe('create');
    expect(o.deadLetterHeaders).toBe('sdk');
    expect(o.lag).toEqual({ intervalMs: 10_000, window: 10, allowedLag: 0 });
    expect(resolveConsumerOptions({ ...base, lag: false }).lag).toBe(false);
    expect(o.outage).toEqual({
      distinctKeys: 10,
      windowMs: 10_000,
      failureRatio: 0.9,
      probeIntervalMs: 1_000,
      maxProbeIntervalMs: 10_000,
    });
    expect(resolveConsumerOptions({ ...base, outage: false }).outage).toBe(false);
    expect(resolveConsumerOptions({ ...base, outage: { distinctKeys: 3 } }).outage).toEqual({
      ...consumerDefaults.outage,
      distinctKeys: 3,
    });
  });

  it('merges a per-topic retry override over the consumer-wide one', () => {
    const o = resolveConsumerOptions({
      ...base,
      retry: { attempts: 5 },
      topics: ['orders', { topic: 'payments', retry: { retryTopicDelaysMs: [100] } }],
    });
    expect(o.topics[0]!.retry.attempts).toBe(5);
    expect(o.topics[1]!.retry).toEqual({
      ...consumerDefaults.retry,
      attempts: 5,
      retryTopicDelaysMs: [100],
    });
  });

  it.each<[string, unknown, string]>([
    ['no handler', { ...base, eachMessage: undefined }, 'eachMessage: give exactly one of'],
    [
      'two handlers',
      { ...base, eachBatch: handler },
      'give exactly one of eachMessage and eachBatch',
    ],
    ['handler not a function', { ...base, eachMessage: 'x' }, 'eachMessage: expected a function'],
    ['no topics', { ...base, topics: [] }, 'topics: at least one topic is required'],
    ['bad topic name', { ...base, topics: ['or ders'] }, 'topics[0]: letters, digits'],
    [
      'retry topic subscribed',
      { ...base, topics: ['orders.retry.1'] },
      'is a retry or dead-letter topic',
    ],
    ['dlq subscribed', { ...base, topics: ['orders.dlq'] }, 'is a retry or dead-letter topic'],
    [
      'topic twice',
      { ...base, topics: ['orders', { topic: 'orders' }] },
      'topics[1]: "orders" is listed twice',
    ],
    ['empty group', { ...base, groupId: '' }, 'groupId: must not be empty'],
    ['attempts 0', { ...base, retry: { attempts: 0 } }, 'retry.attempts'],
    [
      'negative delay',
      { ...base, retry: { retryTopicDelaysMs: [-1] } },
      'retry.retryTopicDelaysMs[0]',
    ],
    [
      'cap below initial',
      { ...base, retry: { initialDelayMs: 500, maxDelayMs: 100 } },
      'retry.maxDelayMs: must be at least initialDelayMs (500)',
    ],
    [
      'per-topic cap below initial',
      { ...base, topics: [{ topic: 'orders', retry: { maxDelayMs: 1 } }] },
      'topics[0].retry.maxDelayMs',
    ],
    ['unknown retry key', { ...base, retry: { attemps: 3 } }, 'retry: unknown option "attemps"'],
    ['unknown key', { ...base, autoCommit: true }, 'unknown option "autoCommit"'],
    ['bad ordering', { ...base, keyOrdering: 'strict' }, 'keyOrdering'],
    [
      'preserve with a batch handler',
      { ...base, eachMessage: undefined, eachBatch: handler, keyOrdering: 'preserve' },
      "keyOrdering: 'preserve' needs eachMessage",
    ],
    [
      'heartbeat too slow',
      { ...base, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 3_000 },
      'heartbeatIntervalMs: must be at most a third of sessionTimeoutMs (6000)',
    ],
    ['session too short', { ...base, sessionTimeoutMs: 1_000 }, 'sessionTimeoutMs'],
    ['bad provisioning', { ...base, provisionTopics: 'auto' }, 'provisionTopics'],
    ['lag interval too short', { ...base, lag: { intervalMs: 10 } }, 'lag.intervalMs'],
    ['lag true', { ...base, lag: true }, 'lag'],
    ['outage with one key', { ...base, outage: { distinctKeys: 1 } }, 'outage.distinctKeys'],
    ['outage ratio 0', { ...base, outage: { failureRatio: 0 } }, 'outage.failureRatio'],
    ['outage ratio above 1', { ...base, outage: { failureRatio: 1.5 } }, 'outage.failureRatio'],
    [
      'outage probes shrinking',
      { ...base, outage: { probeIntervalMs: 5_000, maxProbeIntervalMs: 1_000 } },
      'outage.maxProbeIntervalMs: must be at least probeIntervalMs (5000)',
    ],
    ['outage true', { ...base, outage: true }, 'outage'],
    ['bad dead-letter format', { ...base, deadLetterHeaders: 'java' }, 'deadLetterHeaders'],
  ])('refuses %s, naming the field', (_, input, expected) => {
    expect(issues(input)).toContain(expected);
  });
});
