import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createProducer } from '@org/kafka-producer';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { testClient } from '../kafka-clients.js';
import { eventually, startLagServe, type OverviewGroup } from './lag-serve-process.js';

describe('kafka-lag serve at scale', () => {
  const kafka = sharedKafka();

  it('one process watching 3 clusters of 3 groups on 500 partitions reports every partition right (round times printed)', async () => {
    const brokers = kafka.bootstrapServers;
    const prefix = `lag-scale-${Date.now()}`;
    const topics = Array.from({ length: 5 }, (_, i) => `${prefix}-t${i}`);
    // Group a reads topics 0 and 1, b reads 2 and 3, c reads 4: 500 partitions in all.
    const groups = {
      [`${prefix}-a`]: topics.slice(0, 2),
      [`${prefix}-b`]: topics.slice(2, 4),
      [`${prefix}-c`]: topics.slice(4),
    };
    for (const topic of topics) await createTopic(brokers, { topic, partitions: 100 });
    const producer = createProducer({
      brokers: [...brokers],
      clientId: 'lag-scale',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    try {
      // Partition p of every topic gets p % 3 + 1 records: lags differ by partition.
      for (const topic of topics) {
        await producer.send({
          topic,
          messages: Array.from({ length: 100 }, (_, p) =>
            Array.from({ length: (p % 3) + 1 }, (__, i) => ({ partition: p, value: `${p}-${i}` })),
          ).flat(),
        });
      }
    } finally {
      await producer.disconnect();
    }
    const admin = testClient(brokers).admin();
    await admin.connect();
    try {
      for (const [groupId, read] of Object.entries(groups)) {
        for (const topic of read) {
          await admin.setOffsets({
            groupId,
            topic,
            partitions: Array.from({ length: 100 }, (_, partition) => ({ partition, offset: '0' })),
          });
        }
      }
      // Lag per topic: 100 partitions of 1, 2 and 3 records (34 + 33 + 33): 199.
      const perTopic = Array.from({ length: 100 }, (_, p) => (p % 3) + 1).reduce(
        (a, b) => a + b,
        0,
      );
      const clusters = ['c1', 'c2', 'c3'];
      const serve = await startLagServe([
        ...clusters.flatMap((c) => ['--cluster', `${c}=${brokers.join(',')}`]),
        '--group-pattern',
        `^${prefix}-`,
        '--interval-ms',
        '1000',
      ]);
      try {
        const overview = await eventually(async () => {
          const groupsSeen = (await serve.getJson('/api/overview')).body.groups as OverviewGroup[];
          return groupsSeen.length === 9 ? groupsSeen : undefined;
        });
        for (const c of clusters) {
          const mine = overview
            .filter((g) => g.cluster === c)
            .sort((x, y) => (x.group < y.group ? -1 : 1));
          expect(mine.map((g) => [g.group, g.partitions, g.totalLag])).toEqual([
            [`${prefix}-a`, 200, 2 * perTopic],
            [`${prefix}-b`, 200, 2 * perTopic],
            [`${prefix}-c`, 100, perTopic],
          ]);
        }
        // Every partition's lag in /metrics, 1,500 series of kafka_consumergroup_group_lag.
        const families = parsePrometheusTextFormat(
          await (await fetch(`${serve.base}/metrics`)).text(),
        );
        const lag = families
          .find((f) => f.name === 'kafka_consumergroup_group_lag')!
          .metrics.filter((m) => m.labels?.group?.startsWith(prefix));
        expect(lag).toHaveLength(1_500);
        expect(lag.every((m) => Number(m.value) === (Number(m.labels!.partition) % 3) + 1)).toBe(
          true,
        );

        // The round times of 10 rounds per cluster, measured, printed (never asserted).
        const durations = new Map<string, number[]>(clusters.map((c) => [c, []]));
        let lastAt = new Map<string, number>();
        while ([...durations.values()].some((d) => d.length < 10)) {
          const { body } = await serve.getJson('/api/overview');
          const seen = new Map<string, number>();
          for (const c of body.clusters as {
            name: string;
            lastRound: { at: number; durationMs: number } | null;
          }[]) {
            if (c.lastRound && c.lastRound.at !== lastAt.get(c.name))
              durations.get(c.name)!.push(c.lastRound.durationMs);
            if (c.lastRound) seen.set(c.name, c.lastRound.at);
          }
          lastAt = seen;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const all = [...durations.values()].flat().sort((a, b) => a - b);
        console.log(
          `kafka-lag serve, 3 clusters x 3 groups x 500 partitions, round duration over ${all.length} rounds: ` +
            `median ${all[Math.floor(all.length / 2)]} ms, max ${all.at(-1)} ms ` +
            `(${clusters.map((c) => `${c}: ${durations.get(c)!.join(' ')}`).join('; ')})`,
        );
        serve.child.kill('SIGTERM');
        expect(await serve.exited).toBe(0);
      } finally {
        serve.child.kill('SIGKILL');
      }
    } finally {
      await admin.deleteGroups(Object.keys(groups)).catch(() => undefined);
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
