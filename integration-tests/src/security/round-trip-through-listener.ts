import { expect } from 'vitest';
import { jsonLogger, type ConnectionOptions } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { LagMonitor, type GroupLagReport } from '@org/kafka-lag-monitor';
import { createProducer } from '@org/kafka-producer';
import type { StartedKafkaCluster } from '@org/kafka-testkit';
import { until } from '../consumer/order-records.js';

/** How one client reaches a secured listener: its TLS and SASL settings. */
export type ClientSecurity = Pick<ConnectionOptions, 'ssl' | 'sasl'>;

/**
 * Writes `count` keyed records through our producer, reads them all through our consumer
 * (until its own lag report says 0), then samples the group with a standalone lag monitor;
 * each client connects to `brokers` with its own security settings. Returns the monitor's
 * report of the group.
 */
export async function roundTripThroughListener(args: {
  cluster: StartedKafkaCluster;
  brokers: string[];
  topic: string;
  count: number;
  producer: ClientSecurity;
  consumer: ClientSecurity;
  monitor: ClientSecurity;
}): Promise<GroupLagReport> {
  const { brokers, topic, count } = args;
  const logger = jsonLogger('error');
  await args.cluster.createTopic({ topic, partitions: 3 });

  const producer = createProducer({
    brokers,
    clientId: `${topic}-producer`,
    logger,
    ...args.producer,
  });
  await producer.connect();
  try {
    const meta = await producer.send({
      topic,
      messages: Array.from({ length: count }, (_, i) => ({ key: `order-${i}`, value: `e${i}` })),
    });
    expect(meta.every((m) => BigInt(m.offset) >= 0n)).toBe(true);
  } finally {
    await producer.disconnect();
  }

  const seen = new Set<string>();
  const group = `${topic}-group`;
  const consumer = createConsumer({
    brokers,
    clientId: `${topic}-consumer`,
    groupId: group,
    topics: [topic],
    logger,
    ...args.consumer,
    lag: { intervalMs: 500 },
    eachMessage: (record) => {
      seen.add(record.value!.toString());
      return Promise.resolve();
    },
  });
  await consumer.run();
  try {
    await until(
      () => seen.size === count && consumer.lag()?.totalLag === 0,
      60_000,
      () => `${seen.size} of ${count} consumed; lag ${JSON.stringify(consumer.lag()?.totalLag)}`,
    );
  } finally {
    await consumer.stop();
  }

  const monitor = new LagMonitor({
    brokers,
    groups: [group],
    metrics: false,
    logger,
    ...args.monitor,
  });
  try {
    await monitor.start();
    return monitor.report(group)!;
  } finally {
    await monitor.stop();
  }
}

/** The committed offsets of `topic` in a report, summed: the records the group finished. */
export function committedOn(report: GroupLagReport, topic: string): number {
  return report.partitions
    .filter((p) => p.topic === topic)
    .reduce((sum, p) => sum + Number(p.committed), 0);
}
