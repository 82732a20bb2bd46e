import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createProducer } from '@org/kafka-producer';
import { consumeN, createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { javaPartitions } from '../java-partitions.js';

describe('key-based ordering', () => {
  const kafka = sharedKafka();

  it("puts each of 10,000 keyed records on the Java client's partition and keeps per-key order", async () => {
    const topic = `orders-keyed-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 12 });
    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'key-ordering',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    // 1,000 keys, 10 events each, sent the way services do: many sends in flight at once.
    const keys = Array.from({ length: 1000 }, (_, i) => `order-${i}-${(i * 7919) % 10007}`);
    const sends = [];
    for (let seq = 0; seq < 10; seq++) {
      for (const key of keys)
        sends.push(producer.send({ topic, messages: [{ key, value: `${key}|${seq}` }] }));
    }
    const results = (await Promise.all(sends)).flat();
    await producer.disconnect();
    expect(results).toHaveLength(10_000);

    const records = await consumeN(kafka.bootstrapServers, topic, 10_000, { timeoutMs: 120_000 });
    const partitionOf = new Map<string, number>();
    const lastSeq = new Map<string, number>();
    for (const r of records) {
      const [key, seq] = r.value!.toString().split('|') as [string, string];
      expect(r.key!.toString()).toBe(key);
      expect(partitionOf.get(key) ?? r.partition).toBe(r.partition);
      partitionOf.set(key, r.partition);
      expect(Number(seq)).toBe((lastSeq.get(key) ?? -1) + 1);
      lastSeq.set(key, Number(seq));
    }
    expect(partitionOf.size).toBe(1000);
    expect([...lastSeq.values()].every((s) => s === 9)).toBe(true);

    const java = await javaPartitions(keys, 12);
    const mismatches = keys.filter((key, i) => partitionOf.get(key) !== java[i]);
    expect(mismatches).toEqual([]);
    // Every send result names the real coordinates of its record.
    const byCoordinate = new Map(
      records.map((r) => [`${r.partition}:${r.offset}`, r.value!.toString()]),
    );
    for (const r of results) expect(byCoordinate.has(`${r.partition}:${r.offset}`)).toBe(true);
  });
});
