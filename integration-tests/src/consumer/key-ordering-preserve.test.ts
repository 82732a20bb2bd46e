import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { createProducer } from '@org/kafka-producer';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { until } from './order-records.js';

describe("consumer: keyOrdering 'preserve'", () => {
  const kafka = sharedKafka();

  it("processes a key's later records after its first one, which failed twice, in order", async () => {
    const topic = `orders-preserve-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 3 });
    const keys = Array.from({ length: 10 }, (_, k) => `customer-${k}`);
    const perKey = 20;
    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'preserve-feed',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    // Interleaved, one send per round so each key's records are written in sequence order.
    for (let seq = 0; seq < perKey; seq++) {
      await producer.send({
        topic,
        messages: keys.map((key) => ({ key, value: `${key}|${seq}` })),
      });
    }
    await producer.disconnect();

    const failing = 'customer-3|0';
    let failures = 0;
    const order = new Map<string, number[]>();
    let waitingSince: number | undefined;
    let othersWhileWaiting = 0;
    const consumer = createConsumer({
      brokers: kafka.bootstrapServers,
      clientId: 'preserve-test',
      groupId: `${topic}-group`,
      topics: [topic],
      keyOrdering: 'preserve',
      logger: jsonLogger('error'),
      // No in-place retry: the first failure goes to retry.1, the second to retry.2.
      retry: { attempts: 1, retryTopicDelaysMs: [300, 600] },
      eachMessage: (record) => {
        const value = record.value!.toString();
        if (value === failing && failures < 2) {
          failures++;
          waitingSince ??= Date.now();
          throw new Error(`transient failure ${failures}`);
        }
        const [key, seq] = value.split('|') as [string, string];
        if (waitingSince !== undefined && failures < 3 && key !== 'customer-3')
          othersWhileWaiting++;
        if (value === failing) failures = 3;
        order.set(key, [...(order.get(key) ?? []), Number(seq)]);
        return Promise.resolve();
      },
    });
    await consumer.run();
    const processed = () => [...order.values()].reduce((n, s) => n + s.length, 0);
    try {
      await until(
        () => processed() >= keys.length * perKey,
        60_000,
        () => `${processed()} processed; ${JSON.stringify(Object.fromEntries(order))}`,
      );
    } finally {
      await consumer.stop();
    }

    expect(failures).toBe(3); // failed twice, then succeeded from retry.2
    const expected = Array.from({ length: perKey }, (_, i) => i);
    for (const key of keys) expect(order.get(key), key).toEqual(expected);
    // Other keys were not held up while customer-3 waited in the retry topics.
    expect(othersWhileWaiting).toBeGreaterThan(0);
  });
});
