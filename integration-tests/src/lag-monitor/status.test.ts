import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { LagMonitor, type GroupLagReport } from '@org/kafka-lag-monitor';
import { createProducer } from '@org/kafka-producer';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { testClient } from '../kafka-clients.js';
import { sleep, startSteadyFeed } from './steady-feed.js';

/** The report restricted to the source topic (the retry topics are not judged). */
const onTopic = (report: GroupLagReport, topic: string) =>
  report.partitions.filter((p) => p.topic === topic);

describe('lag monitor status, driven for real', () => {
  const kafka = sharedKafka();
  const monitorFor = (group: string, window: number) =>
    new LagMonitor({
      brokers: kafka.bootstrapServers,
      groups: [group],
      window,
      metrics: false,
      logger: jsonLogger('error'),
    });

  it('healthy stays OK; with its consumers gone the group goes to STOP, lag rising about 1 s per s', async () => {
    const topic = `lag-health-${Date.now()}`;
    const group = `${topic}-group`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 3 });
    const feed = await startSteadyFeed(kafka.bootstrapServers, topic, 50);
    const consumer = createConsumer({
      brokers: kafka.bootstrapServers,
      clientId: 'lag-healthy',
      groupId: group,
      topics: [topic],
      logger: jsonLogger('error'),
      eachMessage: () => Promise.resolve(),
    });
    const monitor = monitorFor(group, 5);
    const healthy: string[] = [];
    const gone: GroupLagReport[] = [];
    try {
      await consumer.run();
      for (let i = 0; i < 8; i++) {
        const [report] = await monitor.sample();
        if (report && report.complete === 1) healthy.push(report.status);
        await sleep(500);
      }
      await consumer.stop();
      for (let i = 0; i < 12; i++) {
        const [report] = await monitor.sample();
        gone.push(report!);
        await sleep(500);
      }
    } finally {
      await consumer.stop();
      await feed.stop();
      await monitor.stop();
    }
    expect(healthy.length).toBeGreaterThan(0);
    expect(new Set(healthy)).toEqual(new Set(['OK']));

    const last = gone[gone.length - 1]!;
    expect(last.members).toBe(0);
    expect(last.status).toBe('STOP');
    expect(last.severity).toBe('ERR');
    expect(onTopic(last, topic).every((p) => p.status === 'STOP' && p.owner === null)).toBe(true);
    // The monitor keeps reporting the group, and its lag keeps rising while input continues.
    const lags = gone.map((r) => onTopic(r, topic).reduce((n, p) => n + p.lag!, 0));
    for (let i = 3; i < lags.length; i++) expect(lags[i]).toBeGreaterThan(lags[i - 2]!);
    // Lag in seconds grows at about one second per second once the consumer stopped.
    const first = gone[4]!;
    const seconds = (r: GroupLagReport) => Math.max(...onTopic(r, topic).map((p) => p.lagSeconds!));
    const rate = (seconds(last) - seconds(first)) / ((last.at - first.at) / 1000);
    console.log(
      `lag seconds after the stop: ${seconds(first).toFixed(2)} s -> ${seconds(last).toFixed(2)} s over ${((last.at - first.at) / 1000).toFixed(2)} s: ${rate.toFixed(3)} s per s; records ${lags[4]} -> ${lags[lags.length - 1]}`,
    );
    expect(rate).toBeGreaterThan(0.8);
    expect(rate).toBeLessThan(1.2);
  });

  it('a consumer slower than its input goes to WARN', async () => {
    const topic = `lag-slow-${Date.now()}`;
    const group = `${topic}-group`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 1 });
    const feed = await startSteadyFeed(kafka.bootstrapServers, topic, 200);
    const consumer = createConsumer({
      brokers: kafka.bootstrapServers,
      clientId: 'lag-slow',
      groupId: group,
      topics: [topic],
      logger: jsonLogger('error'),
      // About 40 records a second against 200 coming in.
      eachMessage: () => sleep(25).then(() => undefined),
    });
    const monitor = monitorFor(group, 5);
    const statuses: string[] = [];
    try {
      await consumer.run();
      for (let i = 0; i < 8; i++) {
        const [report] = await monitor.sample();
        const p = report && onTopic(report, topic)[0];
        if (p && p.complete === 1) statuses.push(p.status);
        await sleep(1_000);
      }
    } finally {
      await consumer.stop();
      await feed.stop();
      await monitor.stop();
    }
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses[statuses.length - 1]).toBe('WARN');
  });

  it('a reset to earlier offsets shows REWIND', async () => {
    const topic = `lag-rewind-${Date.now()}`;
    const group = `${topic}-group`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 1 });
    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'lag-rewind',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 100 }, (_, i) => ({ value: `${i}` })),
    });
    await producer.disconnect();
    const admin = testClient(kafka.bootstrapServers).admin();
    await admin.connect();
    const monitor = monitorFor(group, 4);
    const statuses: string[] = [];
    try {
      for (const offset of ['40', '50', '60', '30']) {
        await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset }] });
        const [report] = await monitor.sample();
        statuses.push(onTopic(report!, topic)[0]!.status);
      }
    } finally {
      await admin.disconnect();
      await monitor.stop();
    }
    expect(statuses).toEqual(['OK', 'OK', 'OK', 'REWIND']);
  });
});
