import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSdkError, jsonLogger } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { LagMonitor } from '@org/kafka-lag-monitor';
import { createProducer } from '@org/kafka-producer';
import { startKafkaCluster, type StartedKafkaCluster } from '@org/kafka-testkit';
import { until } from '../consumer/order-records.js';

// A cluster of its own with an SSL listener and a fresh self-signed certificate. One node is
// enough to prove the handshake; replication is proven on the shared cluster.
describe('TLS against a real broker', () => {
  let cluster: StartedKafkaCluster;
  let brokers: string[];
  let ca: string;
  const logger = jsonLogger('error');

  beforeAll(async () => {
    cluster = await startKafkaCluster({
      backend: 'local',
      brokers: 1,
      tls: true,
    });
    brokers = cluster.tls!.bootstrapServers;
    ca = cluster.tls!.caPem;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('produces, consumes and monitors lag over TLS, trusting the cluster certificate', async () => {
    expect(brokers[0]).not.toBe(cluster.bootstrapServers[0]);
    const topic = 'orders-tls';
    await cluster.createTopic({ topic, partitions: 2 });
    const producer = createProducer({
      brokers,
      clientId: 'tls-producer',
      logger,
      ssl: { ca: [ca] },
    });
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: Array.from({ length: 50 }, (_, i) => ({ key: `order-${i}`, value: `e${i}` })),
      });
    } finally {
      await producer.disconnect();
    }

    let received = 0;
    const group = `${topic}-group`;
    const consumer = createConsumer({
      brokers,
      clientId: 'tls-consumer',
      groupId: group,
      topics: [topic],
      logger,
      ssl: { ca: [ca] },
      lag: false,
      eachMessage: () => {
        received++;
        return Promise.resolve();
      },
    });
    await consumer.run();
    try {
      await until(
        () => received >= 50,
        60_000,
        () => `${received} of 50 consumed`,
      );
    } finally {
      await consumer.stop();
    }

    const monitor = new LagMonitor({
      brokers,
      groups: [group],
      metrics: false,
      logger,
      ssl: { ca: [ca] },
    });
    try {
      await monitor.start();
      expect(monitor.report(group)?.totalLag).toBe(0);
    } finally {
      await monitor.stop();
    }
  });

  it('refuses a broker certificate the client does not trust, saying what to change', async () => {
    // ssl: true trusts only the system's CAs, which never signed a test certificate.
    const producer = createProducer({ brokers, clientId: 'tls-untrusting', logger, ssl: true });
    const err = await producer.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    await producer.disconnect();
    expect(KafkaSdkError.is(err)).toBe(true);
    expect((err as KafkaSdkError).code).toBe('TLS_HANDSHAKE_FAILED');
    expect((err as KafkaSdkError).retriable).toBe(false);
    expect((err as Error).message).toContain(`TLS handshake with ${brokers.join(',')} failed`);
    expect((err as Error).message).toContain('self-signed certificate');
    expect((err as Error).message).toContain('pass it (or its CA) as ssl.ca');
  });
});
