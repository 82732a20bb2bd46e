import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createConsumer, retryHeaderNames as h, type RecordOutcome } from '@org/kafka-consumer';
import { createProducer, type ProducerMessage } from '@org/kafka-producer';
import { avro, defineTopic, frame } from '@org/kafka-serdes';
import { consumeN, createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { until } from '../consumer/order-records.js';
import { orderEvent, sampleOrder } from './order-event-schema.js';

describe('a typed consumer meets corrupt records', () => {
  const kafka = sharedKafka();

  it('dead-letters each corrupt record with its reason, once, and keeps processing the good ones', async () => {
    const name = `orders-corrupt-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic: name, partitions: 3 });
    const orders = await defineTopic({ name, key: 'string', value: avro(orderEvent) }).bind({
      registry: { url: kafka.registryUrl! },
      writerSchema: 'autoRegister',
    });
    const good = orders.value.encode(sampleOrder(0)) as Buffer;
    // Every 10th record is corrupt, cycling through the ways bytes go wrong in practice.
    const corruptions: [string, Buffer | null][] = [
      ['byte 0 is 0x7b', Buffer.from('{"orderId":"legacy"}')],
      ['wire-format header needs 5', Buffer.from([0, 0, 1])],
      ['schema id 2000000002', frame(2_000_000_002, good.subarray(5))],
      ['truncated buffer', good.subarray(0, 12)],
      ['tombstone', null],
    ];
    const total = 300;
    const messages: ProducerMessage[] = [];
    const corruptAt = new Map<string, [string, Buffer | null]>();
    for (let i = 0; i < total; i++) {
      const key = `order-${i}`;
      if (i % 10 === 9) {
        const corruption = corruptions[((i - 9) / 10) % corruptions.length]!;
        corruptAt.set(key, corruption);
        messages.push({ key, value: corruption[1] });
      } else {
        messages.push(orders.message({ key, value: sampleOrder(i) }));
      }
    }
    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'serdes-corrupt',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    try {
      await producer.send({ topic: name, messages });
    } finally {
      await producer.disconnect();
    }

    const processed = new Map<string, number>();
    const outcomes: RecordOutcome[] = [];
    const consumer = createConsumer({
      brokers: kafka.bootstrapServers,
      clientId: 'serdes-corrupt',
      groupId: `${name}-group`,
      topics: [name],
      logger: jsonLogger('error'),
      lag: false,
      retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20, retryTopicDelaysMs: [200] },
      eachMessage: orders.handler(async (record) => {
        expect(record.value.orderId).toBe(record.key);
        processed.set(record.key, (processed.get(record.key) ?? 0) + 1);
        return Promise.resolve();
      }),
    });
    consumer.on('record', (outcome) => outcomes.push(outcome));
    await consumer.run();
    const dead = () => outcomes.filter((o) => o.kind === 'dead-lettered');
    try {
      await until(
        () => processed.size + dead().length >= total,
        60_000,
        () => `${processed.size} processed, ${dead().length} dead-lettered of ${total}`,
      );
    } finally {
      await consumer.stop();
    }

    expect(processed.size).toBe(total - corruptAt.size);
    for (const count of processed.values()) expect(count).toBe(1);
    // Non-retriable: no in-place retry, no retry topic.
    expect(outcomes.filter((o) => o.kind === 'retry-scheduled')).toEqual([]);
    for (const o of dead()) {
      if (o.kind !== 'dead-lettered') continue;
      expect(o.reason).toBe('non-retriable');
    }

    const letters = await consumeN(kafka.bootstrapServers, `${name}.dlq`, corruptAt.size, {
      timeoutMs: 30_000,
    });
    expect(letters.map((r) => r.key!.toString()).sort()).toEqual([...corruptAt.keys()].sort());
    for (const letter of letters) {
      const [reason, bytes] = corruptAt.get(letter.key!.toString())!;
      // Nothing lost: the dead letter carries the bytes exactly as they arrived.
      expect(letter.value).toEqual(bytes);
      expect(letter.headers[h.exceptionClass]?.toString()).toBe('SerdesError');
      expect(letter.headers[h.exceptionMessage]?.toString()).toContain(reason);
      expect(letter.headers[h.attempt]?.toString()).toBe('1');
    }
    console.log(
      `corrupt records: ${letters.length} dead-lettered, ${processed.size} good processed; reasons: ${letters
        .slice(0, 5)
        .map((l) => l.headers[h.exceptionMessage]?.toString())
        .join(' | ')}`,
    );
  });
});
