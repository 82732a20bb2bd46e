import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { LagMonitor, type GroupLagReport } from '@org/kafka-lag-monitor';
import { runKafkaJavaTool } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { testClient } from '../kafka-clients.js';
import { groupWithBacklog } from './group-backlog.js';

describe('lag monitor accuracy', () => {
  const kafka = sharedKafka();

  it("equals Kafka's own kafka-consumer-groups --describe for a known backlog on 6 partitions", async () => {
    const topic = `lag-accuracy-${Date.now()}`;
    const group = `${topic}-group`;
    // A group that read part of each partition (committed offsets set, nobody running).
    await groupWithBacklog(kafka.bootstrapServers, {
      topic,
      group,
      records: [100, 110, 120, 130, 140, 150],
      committed: [0, 7, 14, 21, 28, 35],
    });

    const monitor = new LagMonitor({
      brokers: kafka.bootstrapServers,
      groups: [group],
      window: 2,
      metrics: false,
      logger: jsonLogger('error'),
    });
    let reports: GroupLagReport[];
    try {
      reports = await monitor.sample();
    } finally {
      await monitor.stop();
    }
    const report = reports[0]!;
    const { stdout } = await runKafkaJavaTool({
      mainClass: 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
      args: [
        '--bootstrap-server',
        kafka.bootstrapServers.join(','),
        '--describe',
        '--group',
        group,
      ],
    });
    // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
    const kafkaSays = stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[0] === group && cols[1] === topic)
      .map((cols) => ({
        partition: Number(cols[2]),
        committed: cols[3],
        logEnd: cols[4],
        lag: Number(cols[5]),
      }))
      .sort((a, b) => a.partition - b.partition);
    expect(kafkaSays).toHaveLength(6);
    const weSay = report.partitions
      .filter((p) => p.topic === topic)
      .map((p) => ({
        partition: p.partition,
        committed: p.committed,
        logEnd: p.logEnd,
        lag: p.lag,
      }));
    expect(weSay).toEqual(kafkaSays);
    expect(report.totalLag).toBe(kafkaSays.reduce((n, p) => n + p.lag, 0));
    expect(report.maxLag).toEqual({ topic, partition: 5, lag: 150 - 35 });
    expect(report.state).toBe('Empty');
    expect(report.members).toBe(0);
    console.log(
      `lag accuracy: ${JSON.stringify(weSay.map((p) => p.lag))} records, equal to kafka-consumer-groups`,
    );
  });

  it('forgets a deleted group: it is no longer reported (not its last report served for ever)', async () => {
    const topic = `lag-forget-${Date.now()}`;
    const [kept, deleted] = [`${topic}-kept`, `${topic}-deleted`];
    for (const group of [kept, deleted]) {
      await groupWithBacklog(kafka.bootstrapServers, {
        topic: `${group}-in`,
        group,
        records: [5],
        committed: [1],
      });
    }
    const monitor = new LagMonitor({
      brokers: kafka.bootstrapServers,
      groupPattern: `^${topic}-`,
      window: 2,
      metrics: false,
      logger: jsonLogger('error'),
    });
    const admin = testClient(kafka.bootstrapServers).admin();
    await admin.connect();
    try {
      expect((await monitor.sample()).map((r) => r.group).sort()).toEqual([deleted, kept]);
      await admin.deleteGroups([deleted]);
      expect((await monitor.sample()).map((r) => r.group)).toEqual([kept]);
      expect(monitor.reports().map((r) => r.group)).toEqual([kept]);
      expect(monitor.report(deleted)).toBeUndefined();
    } finally {
      await admin.disconnect();
      await monitor.stop();
    }
  });
});
