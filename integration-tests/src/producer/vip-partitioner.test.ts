import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createProducer, vipPriorityPartitioner } from '@org/kafka-producer';
import { consumeN, createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';

describe('VIP-priority partitioner on a real topic', () => {
  const kafka = sharedKafka();

  it('with 10 partitions and vipShare 0.8 puts VIP records on 0-7 and the rest on 8-9', async () => {
    const topic = `orders-vip-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 10 });
    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'vip',
      logger: jsonLogger('warn'),
      partitioner: vipPriorityPartitioner({
        vipShare: 0.8,
        isVip: (m) => m.headers?.tier?.toString() === 'vip',
      }),
    });
    await producer.connect();
    const sends = [];
    for (let i = 0; i < 2000; i++) {
      const tier = i % 5 === 0 ? 'vip' : 'standard';
      // A third of the records have no key: they must stay in their tier too.
      const key = i % 3 === 0 ? null : `customer-${i % 97}`;
      sends.push(
        producer.send({ topic, messages: [{ key, value: `${tier}:${i}`, headers: { tier } }] }),
      );
    }
    await Promise.all(sends);
    await producer.disconnect();

    const records = await consumeN(kafka.bootstrapServers, topic, 2000, { timeoutMs: 60_000 });
    const vipPartitions = new Set<number>();
    const otherPartitions = new Set<number>();
    for (const r of records) {
      if (r.value!.toString().startsWith('vip:')) vipPartitions.add(r.partition);
      else otherPartitions.add(r.partition);
    }
    expect([...vipPartitions].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...otherPartitions].sort((a, b) => a - b)).toEqual([8, 9]);
  });
});
