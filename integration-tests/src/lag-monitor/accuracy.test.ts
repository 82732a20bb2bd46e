import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { LagMonitor, type GroupLagReport } from '@org/kafka-lag-monitor';
import { createProducer } from '@org/kafka-producer';
import { createTopic, runKafkaJavaTool } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { testClient } from '../kafka-clients.js';

describe('lag monitor accuracy', () => {
  const kafka = sharedKafka();

  it("equals Kafka's own kafka-consumer-groups --describe for a known backlog on 6 partitions", async () => {
    const topic = `lag-accuracy-${Date.now()}`;
    const group = `${topic}-group`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 6 });
    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'lag-accuracy',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    for (let p = 0; p < 6; p++) {
      await producer.send({
        topic,
        messages: Array.from({ length: 100 + p * 10 }, (_, i) => ({
          value: `${p}-${i}`,
          partition: p,
        })),
      });
    }
    await producer.disconnect();
    // A group that read part of each partition (committed offsets set, nobody running).
    const admin = testClient(kafka.bootstrapServers).admin();
    await admin.connect();
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: Array.from({ length: 6 }, (_, p) => ({ partition: p, offset: String(p * 7) })),
    });
    await admin.disconnect();

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
});
