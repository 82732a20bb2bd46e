import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import type { GroupLagReport } from '@org/kafka-lag-monitor';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { produceOrders, until } from './order-records.js';

describe('consumer lag reporting', () => {
  const kafka = sharedKafka();

  it('reports its own group: lag() and lag events, down to 0 once the backlog is done', async () => {
    const topic = `orders-lag-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 3 });
    await produceOrders(kafka.bootstrapServers, topic, 600);
    const reports: GroupLagReport[] = [];
    let processed = 0;
    const consumer = createConsumer({
      brokers: kafka.bootstrapServers,
      clientId: 'lag-reporting',
      groupId: `${topic}-group`,
      topics: [topic],
      logger: jsonLogger('error'),
      lag: { intervalMs: 300, window: 3 },
      eachMessage: () => {
        processed++;
        return Promise.resolve();
      },
    });
    consumer.on('lag', (report) => reports.push(report));
    await consumer.run();
    // Caught up: every source partition has a commit and no lag.
    const caughtUp = (r: GroupLagReport | undefined) => {
      const source = r?.partitions.filter((p) => p.topic === topic) ?? [];
      return source.length === 3 && source.every((p) => p.committed !== null && p.lag === 0);
    };
    try {
      await until(
        () => processed >= 600 && caughtUp(consumer.lag()) && consumer.lag()!.complete === 1,
        60_000,
        () => `processed ${processed}, lag ${JSON.stringify(consumer.lag()?.partitions)}`,
      );
    } finally {
      await consumer.stop();
    }
    const last = consumer.lag()!;
    expect(last.group).toBe(`${topic}-group`);
    expect(last.status).toBe('OK');
    expect(last.partitions.filter((p) => p.topic === topic).map((p) => p.partition)).toEqual([
      0, 1, 2,
    ]);
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(reports.at(-1)).toEqual(last);
    expect(reports.every((r) => r.group === `${topic}-group`)).toBe(true);
  });
});
