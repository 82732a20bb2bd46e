import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import {
  NonRetriableError,
  createConsumer,
  retryHeaderNames as h,
  type RecordOutcome,
} from '@org/kafka-consumer';
import { consumeN, createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { produceOrders, until } from './order-records.js';

// Which records fail, and how: chosen by sequence number so the test knows the expected fate.
const failsOnceInPlace = (i: number) => i % 40 === 3; // 2.5%: succeeds on the in-place retry
const failsIntoRetryTopics = (i: number) => i % 40 === 23; // 2.5%: succeeds from retry.2
const nonRetriable = (i: number) => i % 200 === 7; // 0.5%: straight to the DLQ
const exhausts = (i: number) => i % 200 === 107; // 0.5%: fails on every tier

describe('consumer: retries, retry topics and the dead-letter topic', () => {
  const kafka = sharedKafka();

  it('10,000 records, 5% failing transiently and 1% permanently: each processed once or dead-lettered, none missing', async () => {
    const topic = `orders-retries-${Date.now()}`;
    const total = 10_000;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 6 });
    await produceOrders(kafka.bootstrapServers, topic, total);

    const attempts = new Map<number, number>();
    const successes = new Map<number, number>();
    const outcomes: { at: number; outcome: RecordOutcome }[] = [];
    const processedAt: { at: number; tier: number }[] = [];
    const consumer = createConsumer({
      brokers: kafka.bootstrapServers,
      clientId: 'retries-test',
      groupId: `${topic}-group`,
      topics: [topic],
      logger: jsonLogger('error'),
      retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 50, retryTopicDelaysMs: [500, 1500] },
      eachMessage: (record) => {
        const i = Number(record.value!.toString());
        const n = (attempts.get(i) ?? 0) + 1;
        attempts.set(i, n);
        if (nonRetriable(i)) throw new NonRetriableError(`order ${i} is malformed`);
        if (exhausts(i)) throw new TypeError(`order ${i} always fails`);
        if (failsOnceInPlace(i) && n === 1) throw new Error(`order ${i}: database busy`);
        if (failsIntoRetryTopics(i) && n <= 3) throw new Error(`order ${i}: downstream 503`);
        successes.set(i, (successes.get(i) ?? 0) + 1);
        processedAt.push({ at: Date.now(), tier: record.receivedFrom.tier });
        return Promise.resolve();
      },
    });
    consumer.on('record', (outcome) => outcomes.push({ at: Date.now(), outcome }));
    await consumer.run();
    const settled = () =>
      successes.size + outcomes.filter((o) => o.outcome.kind === 'dead-lettered').length;
    try {
      await until(
        () => settled() >= total,
        120_000,
        () => `${settled()} of ${total} settled`,
      );
    } finally {
      await consumer.stop();
    }

    // Every record: processed successfully exactly once, or dead-lettered; none missing.
    const expectedDead = [];
    for (let i = 0; i < total; i++) {
      if (nonRetriable(i) || exhausts(i)) {
        expectedDead.push(i);
        expect(successes.get(i), `record ${i}`).toBeUndefined();
      } else {
        expect(successes.get(i), `record ${i}`).toBe(1);
      }
    }
    // Attempts: 2 in place + one per retry tier for the retry-topic ones and the exhausted.
    for (let i = 0; i < total; i++) {
      const expected = nonRetriable(i)
        ? 1
        : exhausts(i) || failsIntoRetryTopics(i)
          ? 4
          : failsOnceInPlace(i)
            ? 2
            : 1;
      expect(attempts.get(i), `attempts of record ${i}`).toBe(expected);
    }

    // The dead-letter topic holds exactly those records, with their origin and error.
    const dead = await consumeN(kafka.bootstrapServers, `${topic}.dlq`, expectedDead.length, {
      timeoutMs: 60_000,
    });
    expect(dead.map((r) => Number(r.value!.toString())).sort((a, b) => a - b)).toEqual(
      expectedDead,
    );
    const source = await consumeN(kafka.bootstrapServers, topic, total, { timeoutMs: 60_000 });
    const whereIs = new Map(source.map((r) => [r.value!.toString(), r]));
    for (const r of dead) {
      const i = Number(r.value!.toString());
      const original = whereIs.get(String(i))!;
      const header = (name: string) => r.headers[name]?.toString();
      expect(r.key!.toString()).toBe(`order-${i % 500}`);
      expect(header(h.originalTopic)).toBe(topic);
      expect(header(h.originalPartition)).toBe(String(original.partition));
      expect(header(h.originalOffset)).toBe(original.offset);
      expect(header(h.originalTimestamp)).toBe(original.timestamp);
      expect(header(h.exceptionClass)).toBe(nonRetriable(i) ? 'NonRetriableError' : 'TypeError');
      expect(header(h.exceptionMessage)).toBe(
        nonRetriable(i) ? `order ${i} is malformed` : `order ${i} always fails`,
      );
      expect(header(h.exceptionStacktrace)).toContain(
        nonRetriable(i) ? 'NonRetriableError' : 'TypeError',
      );
      expect(Buffer.byteLength(header(h.exceptionStacktrace)!)).toBeLessThanOrEqual(4_096);
      expect(header(h.attempt)).toBe(nonRetriable(i) ? '1' : '4');
    }

    // Retried records were not handled before they were due, and the source partitions kept
    // moving while they waited: records of the source topic were processed in between.
    const scheduled = outcomes.filter((o) => o.outcome.kind === 'retry-scheduled');
    expect(scheduled.length).toBe(
      Array.from({ length: total }, (_, i) => i).filter(
        (i) => failsIntoRetryTopics(i) || exhausts(i),
      ).length * 2,
    );
    const first = scheduled[0]!;
    if (first.outcome.kind !== 'retry-scheduled') throw new Error('unreachable');
    const dueAt = first.outcome.dueAt;
    const retriedAt = outcomes.find(
      (o) =>
        o.at > first.at &&
        o.outcome.record.offset === first.outcome.record.offset &&
        o.outcome.record.partition === first.outcome.record.partition &&
        o.outcome.record.receivedFrom.tier === 1,
    )!.at;
    expect(retriedAt).toBeGreaterThanOrEqual(dueAt);
    const movedMeanwhile = processedAt.filter(
      (p) => p.tier === 0 && p.at > first.at && p.at < retriedAt,
    ).length;
    expect(movedMeanwhile).toBeGreaterThan(0);
  });
});
