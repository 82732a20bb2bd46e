import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaCluster, waitFor, type StartedKafkaCluster } from '@org/kafka-testkit';
import { testClient } from '../kafka-clients.js';

// Killing brokers would disturb other suites, so this file has a cluster of its own. Runs on
// both backends (backend-suites.ts).
describe('a broker killed with SIGKILL', () => {
  let cluster: StartedKafkaCluster;

  beforeAll(async () => {
    cluster = await startKafkaCluster({ brokers: 3 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('does not stop acks=all writes, and rejoins the ISR after restart', async () => {
    const topic = 'failover';
    await cluster.createTopic({ topic, partitions: 6 });
    const client = testClient(cluster.bootstrapServers);
    const admin = client.admin();
    await admin.connect();
    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const before = await admin.fetchTopicMetadata({ topics: [topic] });
      const victim = before.topics[0]!.partitions.find((p) => p.partitionId === 0)!.leader;
      expect(await cluster.isBrokerRunning(victim)).toBe(true);
      // A local broker is a process of this machine; a container's is not visible here.
      const victimPid = cluster.brokerPid(victim);
      expect(victimPid === undefined).toBe(cluster.backend !== 'local');

      await cluster.stopBroker(victim, { signal: 'SIGKILL' });
      // The kernel (local) or the Docker engine (containers), not the testkit's own
      // bookkeeping, says the broker is gone.
      expect(await cluster.isBrokerRunning(victim)).toBe(false);
      if (victimPid !== undefined) {
        expect(cluster.brokerPid(victim)).toBeUndefined();
        expect(() => process.kill(victimPid, 0)).toThrow();
      }

      for (let i = 0; i < 20; i++) {
        await producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: 10 }, (_, j) => ({
            key: `k${j}`,
            value: `during-${i}-${j}`,
          })),
        });
      }
      await waitFor(
        async () => {
          const meta = await admin.fetchTopicMetadata({ topics: [topic] });
          return meta.topics[0]!.partitions.every(
            (p) => !p.isr.includes(victim) && p.isr.length === 2,
          );
        },
        { timeoutMs: 60_000, description: `broker ${victim} to leave every ISR` },
      );

      await cluster.startBroker(victim);
      await waitFor(
        async () => {
          const meta = await admin.fetchTopicMetadata({ topics: [topic] });
          return meta.topics[0]!.partitions.every(
            (p) => p.isr.includes(victim) && p.isr.length === 3,
          );
        },
        {
          timeoutMs: 120_000,
          intervalMs: 500,
          description: `broker ${victim} to rejoin every ISR`,
        },
      );
      await producer.send({ topic, acks: -1, messages: [{ key: 'k0', value: 'after' }] });
      const records = await cluster.consumeN(topic, 201, { timeoutMs: 60_000 });
      const values = new Set(records.map((r) => r.value!.toString()));
      expect(values.size).toBe(201);
      expect(values.has('after')).toBe(true);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
