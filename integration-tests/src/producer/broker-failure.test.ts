import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createProducer } from '@org/kafka-producer';
import { startKafkaCluster, type StartedKafkaCluster } from '@org/kafka-testkit';
import { testClient } from '../kafka-clients.js';

// SIGKILLs a broker, so it gets a cluster of its own.
describe('the producer while a partition leader is killed', () => {
  let cluster: StartedKafkaCluster;

  beforeAll(async () => {
    cluster = await startKafkaCluster();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('writes all 20,000 records exactly once with the defaults', async () => {
    const topic = 'failover-orders';
    await cluster.createTopic({ topic, partitions: 6 });
    const admin = testClient(cluster.bootstrapServers).admin();
    await admin.connect();
    const warnings: string[] = [];
    const producer = createProducer({
      brokers: cluster.bootstrapServers,
      clientId: 'failover',
      logger: jsonLogger('warn', (line) => warnings.push(line)),
    });
    await producer.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const victim = meta.topics[0]!.partitions.find((p) => p.partitionId === 0)!.leader;

      const sends: Promise<unknown>[] = [];
      let killed: Promise<void> | undefined;
      for (let i = 0; i < 20_000; i++) {
        sends.push(
          producer.send({ topic, messages: [{ key: `order-${i % 500}`, value: `event-${i}` }] }),
        );
        if (i === 6_000) killed = cluster.stopBroker(victim, { signal: 'SIGKILL' });
        // Let batches go out while records keep coming, as in a service.
        if (i % 1_000 === 999) await new Promise((r) => setTimeout(r, 20));
      }
      const outcomes = await Promise.allSettled(sends);
      await killed;
      const failures = outcomes.filter((o) => o.status === 'rejected');
      expect(failures.map((f) => String(f.reason))).toEqual([]);

      const offsets = await admin.fetchTopicOffsets(topic);
      const total = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      // Exactly 20,000 records in the log: none lost, none written twice by a retry.
      expect(total).toBe(20_000);
      const records = await cluster.consumeN(topic, 20_000, { timeoutMs: 120_000 });
      expect(new Set(records.map((r) => r.value!.toString())).size).toBe(20_000);
      // How often kafkajs's lost-partition case was caught and repaired in this run.
      const resends = warnings.filter((w) => w.includes('without acknowledging'));
      console.log(`killed broker ${victim}; unacknowledged-partition re-sends: ${resends.length}`);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
