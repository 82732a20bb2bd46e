import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSdkError, jsonLogger } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { LagMonitor } from '@org/kafka-lag-monitor';
import { createProducer } from '@org/kafka-producer';
import { startKafkaCluster, type StartedKafkaCluster } from '@org/kafka-testkit';
import { refusedLagServe, startLagServe, untilReady } from '../lag-monitor/lag-serve-process.js';
import { committedOn, roundTripThroughListener } from './round-trip-through-listener.js';

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
    const report = await roundTripThroughListener({
      cluster,
      brokers,
      topic,
      count: 100,
      producer: { sasl: { mechanism: 'scram-sha-512', ...service } },
      consumer: { sasl: { mechanism: 'scram-sha-256', ...service } },
      // A monitor of its own, logged in with another user and mechanism.
      monitor: { sasl: { mechanism: 'plain', ...auditor } },
    });
    expect(report.totalLag).toBe(0);
    expect(committedOn(report, topic)).toBe(100);
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

  it('kafka-lag serve logs in from its flags and KAFKA_SASL_PASSWORD; the password is in no page, metric, route or log line', async () => {
    const serve = await startLagServe(
      [
        '--brokers',
        brokers.join(','),
        '--group-pattern',
        '.',
        '--interval-ms',
        '500',
        '--sasl-mechanism',
        'scram-sha-512',
        '--sasl-username',
        service.username,
      ],
      { KAFKA_SASL_PASSWORD: service.password },
    );
    try {
      await untilReady(serve);
      const overview = await serve.getJson('/api/overview');
      const groups = overview.body.groups as { group: string }[];
      expect(groups.length).toBeGreaterThan(0); // the round trip's group, read through SASL
      const everything = await Promise.all(
        [
          '/',
          '/dashboard.js',
          '/metrics',
          '/api/overview',
          '/v3/kafka/local/consumer',
          `/v3/kafka/local/consumer/${groups[0]!.group}/lag`,
        ].map(async (path) => (await fetch(`${serve.base}${path}`)).text()),
      );
      for (const text of everything) expect(text).not.toContain(service.password);
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
      expect(serve.output()).not.toContain(service.password);
    } finally {
      serve.child.kill('SIGKILL');
    }

    // A wrong password stops it at start: retrying a refused login would not help.
    const refused = await refusedLagServe(
      [
        '--brokers',
        brokers.join(','),
        '--group-pattern',
        '.',
        '--sasl-mechanism',
        'plain',
        '--sasl-username',
        auditor.username,
      ],
      { KAFKA_SASL_PASSWORD: 'not-the-password' },
    );
    expect(refused).toMatch(/kafka-lag serve exited \(70\)/);
    expect(refused).toContain('[AUTHENTICATION_FAILED]');
    expect(refused).not.toContain('not-the-password');
  });
});
