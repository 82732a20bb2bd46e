import { describe, expect, it } from 'vitest';
import { KafkaSdkError, ensureTopics, jsonLogger } from '@org/kafka-core';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { testClient } from '../kafka-clients.js';

describe('ensureTopics on the real cluster', () => {
  const kafka = sharedKafka();

  it('creates with safe defaults, adds partitions with a warning, and refuses to shrink', async () => {
    const topic = `ensure-${Date.now()}`;
    const admin = testClient(kafka.bootstrapServers).admin();
    await admin.connect();
    const warnings: string[] = [];
    const logger = jsonLogger('warn', (line) => warnings.push(line));
    try {
      expect(await ensureTopics(admin, [{ topic, partitions: 3 }], { logger })).toEqual({
        created: [topic],
        increased: [],
        unchanged: [],
      });
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(meta.topics[0]!.partitions.map((p) => p.replicas.length)).toEqual([3, 3, 3]);
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }],
      });
      expect(described.resources[0]!.configEntries[0]!.configValue).toBe('2');

      expect((await ensureTopics(admin, [{ topic, partitions: 3 }], { logger })).unchanged).toEqual(
        [topic],
      );
      expect(warnings).toEqual([]);

      expect((await ensureTopics(admin, [{ topic, partitions: 5 }], { logger })).increased).toEqual(
        [{ topic, from: 3, to: 5 }],
      );
      expect(warnings.join('\n')).toContain('will go to a different partition');
      const after = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(after.topics[0]!.partitions).toHaveLength(5);

      const refusal = await ensureTopics(admin, [{ topic, partitions: 2 }], { logger }).catch(
        (e: unknown) => e,
      );
      expect(KafkaSdkError.is(refusal)).toBe(true);
      expect(refusal).toMatchObject({ code: 'TOPIC_PARTITIONS_SHRINK' });
      expect((refusal as Error).message).toContain(
        `Topic "${topic}" has 5 partitions and the spec asks for 2`,
      );
    } finally {
      await admin.disconnect();
    }
  });

  it('names the bad field of a spec', async () => {
    const admin = testClient(kafka.bootstrapServers).admin();
    await expect(ensureTopics(admin, [{ topic: 'bad topic!', partitions: 0 }])).rejects.toThrow(
      /\[0\]\.topic: .*\n.*\[0\]\.partitions: expected a positive integer, got 0/,
    );
  });
});
