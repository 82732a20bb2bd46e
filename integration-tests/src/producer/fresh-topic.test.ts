import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createProducer, type SafeProducer } from '@org/kafka-producer';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { testClient } from '../kafka-clients.js';

// A service that creates a topic and publishes to it at once must not fail: the new topic
// is unknown to some brokers for a moment (UNKNOWN_TOPIC_OR_PARTITION), which the producer
// waits out. This failed in a clean CI run before the producer retried its metadata load.
describe('sending to a topic created a moment ago', () => {
  const kafka = sharedKafka();
  let producer: SafeProducer;
  let admin: Admin;

  beforeAll(async () => {
    const brokers = kafka.bootstrapServers;
    admin = testClient(brokers).admin();
    producer = createProducer({ brokers, clientId: 'fresh-topics', logger: jsonLogger('warn') });
    await Promise.all([producer.connect(), admin.connect()]);
  });

  afterAll(async () => {
    await Promise.all([producer?.disconnect(), admin?.disconnect()]);
  });

  it('succeeds for 20 topics in a row, each sent to right after its creation', async () => {
    for (let i = 0; i < 20; i++) {
      const topic = `fresh-${Date.now()}-${i}`;
      // Not waiting for leaders: the send races the topic's arrival in every broker's metadata.
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: false });
      const [meta] = await producer.send({ topic, messages: [{ key: `k${i}`, value: `v${i}` }] });
      expect(meta).toMatchObject({ topic, offset: '0' });
    }
  });
});
