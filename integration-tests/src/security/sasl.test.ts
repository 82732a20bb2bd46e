import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSdkError, jsonLogger } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { LagMonitor } from '@org/kafka-lag-monitor';
import { createProducer } from '@org/kafka-producer';
import { startKafkaCluster, type StartedKafkaCluster } from '@org/kafka-testkit';
import { until } from '../consumer/order-records.js';

// A cluster of its own: the suite's shared one has no SASL listener. One node is enough to
// prove the login; the SDK's replication behaviour is proven on the shared cluster.
const service = { username: 'svc-orders', password: 'S3cret.pass~word+1' };
const auditor = { username: 'auditor', password: 'audit-only' };

async function refusal(work: Promise<unknown>): Promise<KafkaSdkError> {
  try {
    await work;
  } catch (err) {
    if (KafkaSdkError.is(err)) return err;
    throw err;
  }
  throw new Error('expected the login to be refused');
}

describe('SASL against a real broker (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)', () => {
  let cluster: StartedKafkaCluster;
  let brokers: string[];
  const logger = jsonLogger('error');

  beforeAll(async () => {
    cluster = await startKafkaCluster({
      backend: 'local',
      brokers: 1,
      sasl: { users: [service, auditor] },
    });
    brokers = cluster.saslBootstrapServers!;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('produces, consumes with lag reporting, and monitors lag, each client logged in', async () => {
    expect(brokers).toHaveLength(1);
    expect(brokers[0]).not.toBe(cluster.bootstrapServers[0]);
    const topic = 'orders-sasl';
    await cluster.createTopic({ topic, partitions: 3 });

    const producer = createProducer({
      brokers,
      clientId: 'sasl-producer',
      logger,
      sasl: { mechanism: 'scram-sha-512', ...service },
    });
    await producer.connect();
    try {
      const meta = await producer.send({
        topic,
        messages: Array.from({ length: 100 }, (_, i) => ({ key: `order-${i}`, value: `e${i}` })),
      });
      expect(meta.every((m) => BigInt(m.offset) >= 0n)).toBe(true);
    } finally {
      await producer.disconnect();
    }

    const seen = new Set<string>();
    const group = `${topic}-group`;
    const consumer = createConsumer({
      brokers,
      clientId: 'sasl-consumer',
      groupId: group,
      topics: [topic],
      logger,
      sasl: { mechanism: 'scram-sha-256', ...service },
      lag: { intervalMs: 500 },
      eachMessage: (record) => {
        seen.add(record.value!.toString());
        return Promise.resolve();
      },
    });
    await consumer.run();
    try {
      await until(
        () => seen.size === 100 && consumer.lag()?.totalLag === 0,
        60_000,
        () => `${seen.size} of 100 consumed; lag ${JSON.stringify(consumer.lag()?.totalLag)}`,
      );
    } finally {
      await consumer.stop();
    }

    // A monitor of its own, logged in with another user and mechanism.
    const monitor = new LagMonitor({
      brokers,
      groups: [group],
      metrics: false,
      logger,
      sasl: { mechanism: 'plain', ...auditor },
    });
    try {
      await monitor.start();
      const report = monitor.report(group)!;
      expect(report.totalLag).toBe(0);
      expect(
        report.partitions
          .filter((p) => p.topic === topic)
          .reduce((sum, p) => sum + Number(p.committed), 0),
      ).toBe(100);
    } finally {
      await monitor.stop();
    }
  });

  it('refuses a wrong password as AUTHENTICATION_FAILED, naming the user and never the password', async () => {
    const wrong = { username: service.username, password: 'not-the-password' };
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      const producer = createProducer({
        brokers,
        clientId: 'sasl-wrong',
        logger,
        sasl: { mechanism, ...wrong },
      });
      const err = await refusal(producer.connect());
      expect(err.code).toBe('AUTHENTICATION_FAILED');
      expect(err.retriable).toBe(false);
      expect(err.message).toContain(`${mechanism} authentication as "svc-orders" to ${brokers[0]}`);
      expect(err.message).not.toContain(wrong.password);
      await producer.disconnect();
    }

    const consumer = createConsumer({
      brokers,
      clientId: 'sasl-wrong',
      groupId: 'never-joins',
      topics: ['orders-sasl'],
      logger,
      sasl: { mechanism: 'scram-sha-512', ...wrong },
      eachMessage: () => Promise.resolve(),
    });
    expect((await refusal(consumer.run())).code).toBe('AUTHENTICATION_FAILED');

    const monitor = new LagMonitor({
      brokers,
      groups: ['never-joins'],
      metrics: false,
      logger,
      sasl: { mechanism: 'plain', username: auditor.username, password: 'wrong' },
    });
    expect((await refusal(monitor.start())).code).toBe('AUTHENTICATION_FAILED');
    await monitor.stop();
  });
});
