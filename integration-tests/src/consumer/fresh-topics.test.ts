import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';

// consumer.run() provisions "<topic>.retry.<n>" and "<topic>.dlq". kafkajs's createTopics
// with waitForLeaders fails when a broker has not yet heard of a topic created a moment
// ago ("This server does not host this topic-partition", retriable), which crashed a
// service starting on a new topic (seen in the outbox's tracing test and by issue 14). Core
// ensureTopics now creates, then waits for the leaders itself, retrying what is retriable.
describe('a consumer started on a topic created a moment ago', () => {
  const kafka = sharedKafka();

  it('starts, provisioning its retry and dead-letter topics, 20 times in a row', async () => {
    const started: string[] = [];
    for (let i = 0; i < 20; i++) {
      const topic = `fresh-consumer-${Date.now()}-${i}`;
      await createTopic(kafka.bootstrapServers, { topic, partitions: 3 });
      const consumer = createConsumer({
        brokers: kafka.bootstrapServers,
        groupId: `${topic}-group`,
        topics: [topic],
        logger: jsonLogger('error'),
        lag: false,
        eachMessage: () => Promise.resolve(),
      });
      try {
        await consumer.run();
        started.push(topic);
      } finally {
        await consumer.stop();
      }
    }
    expect(started).toHaveLength(20);
  });
});
