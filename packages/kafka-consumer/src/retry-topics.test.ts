import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@org/kafka-core';
import { consumerDefaults } from './options.js';
import {
  provisionRetryTopics,
  retryRetentionMs,
  retryTopicProblems,
  retryTopicSpecs,
} from './retry-topics.js';

const day = 86_400_000;
const plan = {
  topic: 'orders',
  retry: { ...consumerDefaults.retry, retryTopicDelaysMs: [1_000, 30 * day] },
};

describe('retryTopicSpecs', () => {
  it('one topic per tier plus the dead-letter topic, as many partitions as the source', () => {
    const specs = retryTopicSpecs(plan, 12);
    expect(specs.map((s) => s.topic)).toEqual(['orders.retry.1', 'orders.retry.2', 'orders.dlq']);
    expect(specs.every((s) => s.partitions === 12)).toBe(true);
    expect(specs[0]!.configs!['retention.ms']).toBe(String(7 * day));
    // A month-long delay gets ten months of retention: longer than the delay.
    expect(Number(specs[1]!.configs!['retention.ms'])).toBe(300 * day);
    expect(retryRetentionMs(0)).toBe(7 * day);
  });
});

describe('retryTopicProblems', () => {
  const specs = retryTopicSpecs(plan, 6);

  it('accepts missing topics in create mode and reports them in verify mode', () => {
    expect(retryTopicProblems(specs, new Map(), 'create')).toEqual([]);
    expect(retryTopicProblems(specs, new Map(), 'verify')).toEqual([
      '"orders.retry.1" does not exist',
      '"orders.retry.2" does not exist',
      '"orders.dlq" does not exist',
    ]);
  });

  it('reports too few partitions in verify mode (create mode adds them)', () => {
    const existing = new Map(specs.map((s) => [s.topic, { partitions: 3, retentionMs: -1 }]));
    expect(retryTopicProblems(specs, existing, 'create')).toEqual([]);
    expect(retryTopicProblems(specs, existing, 'verify')[0]).toContain(
      'has 3 partitions, fewer than its source topic (6)',
    );
  });

  it('reports a retention too short for the delay, in both modes', () => {
    const existing = new Map(specs.map((s) => [s.topic, { partitions: 6, retentionMs: day }]));
    const problems = retryTopicProblems(specs, existing, 'create');
    expect(problems).toHaveLength(3);
    expect(problems[1]).toContain('"orders.retry.2" keeps records 86400000 ms');
    const fine = new Map(specs.map((s) => [s.topic, { partitions: 6, retentionMs: -1 }]));
    expect(retryTopicProblems(specs, fine, 'verify')).toEqual([]);
  });
});

describe('provisionRetryTopics: a subscribed topic the answering broker has not heard of yet', () => {
  /** An admin whose metadata lists `topic` only from its `seenFrom`-th listing on. */
  function lateAdmin(topic: string, seenFrom: number) {
    let listings = 0;
    const all = [topic, 'orders.retry.1', 'orders.dlq'];
    const admin = {
      listTopics: () => Promise.resolve(++listings >= seenFrom ? all : all.slice(1)),
      fetchTopicMetadata: ({ topics }: { topics: string[] }) =>
        Promise.resolve({
          topics: topics.map((name) => ({
            name,
            partitions: [{ partitionId: 0 }, { partitionId: 1 }],
          })),
        }),
      describeConfigs: () => Promise.resolve({ resources: [] }),
    };
    return { admin: admin as unknown as Admin, listings: () => listings };
  }
  const onePlan = [
    { topic: 'orders', retry: { ...consumerDefaults.retry, retryTopicDelaysMs: [1_000] } },
  ];
  const slept: number[] = [];
  const grace = { ms: 10_000, sleep: (ms: number) => (slept.push(ms), Promise.resolve()) };

  it('asks again with backoff and goes on once the topic shows', async () => {
    slept.length = 0;
    const { admin } = lateAdmin('orders', 4);
    const partitions = await provisionRetryTopics(admin, onePlan, 'verify', silentLogger, grace);
    expect(partitions.get('orders')).toBe(2);
    expect(slept).toEqual([100, 200, 400]);
  });

  it('counts it missing after the grace time, saying how long it looked', async () => {
    slept.length = 0;
    const { admin } = lateAdmin('orders', Number.POSITIVE_INFINITY);
    await expect(
      provisionRetryTopics(admin, onePlan, 'verify', silentLogger, grace),
    ).rejects.toThrow('Subscribed topic "orders" not found (looked for 10 s): create it first');
    expect(slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10_000);
    expect(slept.slice(0, 5)).toEqual([100, 200, 400, 800, 1_000]);
  });
});
