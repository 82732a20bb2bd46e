import { describe, expect, it } from 'vitest';
import { consumeN, createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { testClient } from '../kafka-clients.js';

describe('the shared cluster', () => {
  const kafka = sharedKafka();
  const client = testClient(kafka.bootstrapServers);

  it('has three brokers in its metadata', async () => {
    const admin = client.admin();
    await admin.connect();
    try {
      const { brokers } = await admin.describeCluster();
      expect(brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      expect(kafka.brokers).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
  });

  it('keeps 1,000 keyed acks=all messages complete and in per-partition order', async () => {
    const topic = `basics-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 6, replicationFactor: 3 });
    const admin = client.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = metadata.topics[0]!.partitions;
      expect(partitions).toHaveLength(6);
      for (const p of partitions) {
        expect(p.replicas).toHaveLength(3);
        expect(p.isr).toHaveLength(3);
      }
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }],
      });
      expect(configs.resources[0]!.configEntries[0]!.configValue).toBe('2');
    } finally {
      await admin.disconnect();
    }

    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      // 50 keys, 20 records each, sent in 10 batches; value = key:sequence-within-key.
      for (let batch = 0; batch < 10; batch++) {
        const messages = [];
        for (let i = 0; i < 100; i++) {
          const n = batch * 100 + i;
          const key = `order-${n % 50}`;
          messages.push({ key, value: `${key}:${Math.floor(n / 50)}` });
        }
        await producer.send({ topic, acks: -1, messages });
      }
    } finally {
      await producer.disconnect();
    }

    const records = await consumeN(kafka.bootstrapServers, topic, 1000, { timeoutMs: 60_000 });
    expect(new Set(records.map((r) => r.value!.toString())).size).toBe(1000);

    const lastOffset = new Map<number, bigint>();
    const lastSeq = new Map<string, number>();
    const partitionOfKey = new Map<string, number>();
    for (const r of records) {
      const offset = BigInt(r.offset);
      expect(offset > (lastOffset.get(r.partition) ?? -1n)).toBe(true);
      lastOffset.set(r.partition, offset);
      const [key, seq] = r.value!.toString().split(':') as [string, string];
      expect(r.key!.toString()).toBe(key);
      expect(Number(seq)).toBe((lastSeq.get(key) ?? -1) + 1);
      lastSeq.set(key, Number(seq));
      expect(partitionOfKey.get(key) ?? r.partition).toBe(r.partition);
      partitionOfKey.set(key, r.partition);
    }
    expect(lastSeq.size).toBe(50);
    expect([...lastSeq.values()].every((s) => s === 19)).toBe(true);
    // 50 keys over 6 partitions: every partition got some.
    expect(new Set(partitionOfKey.values()).size).toBe(6);
  });
});
