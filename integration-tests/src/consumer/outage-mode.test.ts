import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createConsumer, type OutageChange } from '@org/kafka-consumer';
import type { GroupLagReport } from '@org/kafka-lag-monitor';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { testClient } from '../kafka-clients.js';
import { produceOrders, until } from './order-records.js';

const total = 300;
const downForMs = 20_000;

interface OutageRun {
  /** Records in the dead-letter topic (its end offsets), and as the consumer reported them. */
  readonly deadLetterTopicRecords: number;
  readonly deadLettered: number;
  readonly handedToRetryTopics: number;
  /** Successful handler calls per record (its value, the sequence number). */
  readonly successes: ReadonlyMap<number, number>;
  readonly successesBeforeRecovery: number;
  readonly outage: readonly OutageChange[];
  readonly stallSeen: boolean;
  readonly seconds: number;
}

/**
 * 300 records of 300 keys on 3 partitions; the handler's dependency is down for the first
 * 20 s after the first call (every call fails), then up. A short retry policy, so that
 * without outage mode records reach the dead-letter topic well within those 20 s.
 */
async function run(brokers: readonly string[], outage: boolean): Promise<OutageRun> {
  const topic = `orders-outage-${outage ? 'on' : 'off'}-${Date.now()}`;
  await createTopic(brokers, { topic, partitions: 3 });
  await produceOrders(brokers, topic, total, { keys: total });
  const successes = new Map<number, number>();
  let upAt: number | undefined;
  let successesBeforeRecovery = 0;
  let deadLettered = 0;
  let handedToRetryTopics = 0;
  let stallSeen = false;
  const changes: OutageChange[] = [];
  const startedAt = Date.now();
  const consumer = createConsumer({
    brokers: [...brokers],
    clientId: 'outage-test',
    groupId: `${topic}-group`,
    topics: [topic],
    logger: jsonLogger('error'),
    retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 50, retryTopicDelaysMs: [200, 500] },
    lag: { intervalMs: 500, window: 3 },
    ...(outage ? {} : { outage: false as const }),
    eachMessage: (record) => {
      upAt ??= Date.now() + downForMs;
      if (Date.now() < upAt) {
        return Promise.reject(new Error('warehouse API: connection refused'));
      }
      const i = Number(record.value!.toString());
      successes.set(i, (successes.get(i) ?? 0) + 1);
      return Promise.resolve();
    },
  });
  consumer.on('record', (o) => {
    if (o.kind === 'dead-lettered') deadLettered++;
    if (o.kind === 'retry-scheduled' && o.record.receivedFrom.tier === 0) handedToRetryTopics++;
    if (o.kind === 'processed' && upAt !== undefined && Date.now() < upAt) {
      successesBeforeRecovery++;
    }
  });
  consumer.on('outage', (change) => changes.push(change));
  const stalled = (r: GroupLagReport) =>
    r.partitions.some((p) => p.topic === topic && p.status === 'STALL');
  consumer.on('lag', (r) => {
    if (changes.length === 1 && stalled(r)) stallSeen = true;
  });
  await consumer.run();
  try {
    await until(
      () => successes.size + deadLettered >= total,
      150_000,
      () =>
        `${successes.size} processed, ${deadLettered} dead-lettered of ${total}; outage ${JSON.stringify(changes.map((c) => c.state))}`,
    );
  } finally {
    await consumer.stop();
  }
  const admin = testClient(brokers).admin();
  await admin.connect();
  let deadLetterTopicRecords = 0;
  try {
    for (const p of await admin.fetchTopicOffsets(`${topic}.dlq`)) {
      deadLetterTopicRecords += Number(p.high) - Number(p.low);
    }
  } finally {
    await admin.disconnect();
  }
  return {
    deadLetterTopicRecords,
    deadLettered,
    handedToRetryTopics,
    successes,
    successesBeforeRecovery,
    outage: changes,
    stallSeen,
    seconds: (Date.now() - startedAt) / 1000,
  };
}

describe('consumer outage mode: a dependency down for 20 s is not a poison pill', () => {
  const kafka = sharedKafka();

  it('holds the records while the handler fails everything, and processes each once after it recovers: none dead-lettered; without outage mode they are', async () => {
    const on = await run(kafka.bootstrapServers, true);
    const off = await run(kafka.bootstrapServers, false);
    const ended = on.outage.find((c) => c.state === 'ended');
    // The figures of both runs, for the record.
    console.log(
      JSON.stringify({
        outageOn: {
          seconds: on.seconds,
          deadLetterTopicRecords: on.deadLetterTopicRecords,
          handedToRetryTopicsBeforeTheOutageBegan: on.handedToRetryTopics,
          processedOnce: [...on.successes.values()].filter((n) => n === 1).length,
          outage: ended,
          stallSeen: on.stallSeen,
        },
        outageOff: {
          seconds: off.seconds,
          deadLetterTopicRecords: off.deadLetterTopicRecords,
          processed: off.successes.size,
        },
      }),
    );

    expect(on.deadLetterTopicRecords).toBe(0);
    expect(on.deadLettered).toBe(0);
    expect(on.successes.size).toBe(total);
    expect([...on.successes.values()].every((n) => n === 1)).toBe(true);
    expect(on.successesBeforeRecovery).toBe(0);
    expect(on.outage.map((c) => c.state)).toEqual(['started', 'ended']);
    expect(on.outage[0]).toMatchObject({ state: 'started', evidence: { distinctKeys: 10 } });
    expect(on.stallSeen).toBe(true);

    // The same run without outage mode: the dependency's outage fills the dead-letter topic.
    expect(off.outage).toEqual([]);
    expect(off.deadLetterTopicRecords).toBe(off.deadLettered);
    expect(off.deadLettered).toBeGreaterThan(0);
    expect(off.deadLettered + off.successes.size).toBe(total);
  }, 400_000);
});
