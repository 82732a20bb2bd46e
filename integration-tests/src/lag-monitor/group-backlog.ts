import { jsonLogger } from '@org/kafka-core';
import { createProducer } from '@org/kafka-producer';
import { createTopic } from '@org/kafka-testkit';
import { testClient } from '../kafka-clients.js';

/**
 * A topic with `records[p]` records in partition p and a group that committed
 * `committed[p]` on it, with nobody running: a known backlog to measure.
 */
export async function groupWithBacklog(
  brokers: readonly string[],
  spec: { topic: string; group: string; records: readonly number[]; committed: readonly number[] },
): Promise<void> {
  await createTopic(brokers, { topic: spec.topic, partitions: spec.records.length });
  const producer = createProducer({
    brokers: [...brokers],
    clientId: 'group-backlog',
    logger: jsonLogger('warn'),
  });
  await producer.connect();
  try {
    for (const [partition, count] of spec.records.entries()) {
      await producer.send({
        topic: spec.topic,
        messages: Array.from({ length: count }, (_, i) => ({
          value: `${partition}-${i}`,
          partition,
        })),
      });
    }
  } finally {
    await producer.disconnect();
  }
  const admin = testClient(brokers).admin();
  await admin.connect();
  try {
    await admin.setOffsets({
      groupId: spec.group,
      topic: spec.topic,
      partitions: spec.committed.map((offset, partition) => ({
        partition,
        offset: String(offset),
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
