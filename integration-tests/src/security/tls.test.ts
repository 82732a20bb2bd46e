import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSdkError, jsonLogger } from '@org/kafka-core';
import { createProducer } from '@org/kafka-producer';
import { startKafkaCluster, type StartedKafkaCluster } from '@org/kafka-testkit';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refusedLagServe, startLagServe, untilReady } from '../lag-monitor/lag-serve-process.js';
import { committedOn, roundTripThroughListener } from './round-trip-through-listener.js';

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
    const trusting = { ssl: { ca: [ca] } };
    const report = await roundTripThroughListener({
      cluster,
      brokers,
      topic,
      count: 50,
      producer: trusting,
      consumer: trusting,
      monitor: trusting,
    });
    expect(report.totalLag).toBe(0);
    expect(committedOn(report, topic)).toBe(50);
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

  it('kafka-lag serve trusts the CA file of --tls-ca; with only the system CAs (KAFKA_TLS=true) it stops, saying why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kafka-lag-tls-'));
    try {
      const caFile = join(dir, 'ca.pem');
      await writeFile(caFile, ca);
      const serve = await startLagServe([
        '--brokers',
        brokers.join(','),
        '--group-pattern',
        '.',
        '--interval-ms',
        '500',
        '--tls-ca',
        caFile,
      ]);
      try {
        await untilReady(serve);
        const groups = (await serve.getJson('/api/overview')).body.groups as { group: string }[];
        expect(groups.length).toBeGreaterThan(0); // the round trip's group, read over TLS
        serve.child.kill('SIGTERM');
        expect(await serve.exited).toBe(0);
      } finally {
        serve.child.kill('SIGKILL');
      }
      const untrusting = await refusedLagServe(
        ['--brokers', brokers.join(','), '--group-pattern', '.'],
        {
          KAFKA_TLS: 'true',
        },
      );
      expect(untrusting).toMatch(/kafka-lag serve exited \(70\)/);
      expect(untrusting).toContain('[TLS_HANDSHAKE_FAILED]');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
