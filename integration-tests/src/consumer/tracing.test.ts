import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { createProducer } from '@org/kafka-producer';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { useInMemoryOtel } from '../otel-in-memory.js';
import { until } from './order-records.js';

describe('consumer tracing', () => {
  const kafka = sharedKafka();
  const otelHolder = useInMemoryOtel();

  it('one trace links the send to every process attempt, the retry hop and the dead letter', async () => {
    const topic = `orders-traced-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 3 });
    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'traced-producer',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'order-42', value: 'always fails' }] });
    await producer.disconnect();

    let deadLettered = false;
    const consumer = createConsumer({
      brokers: kafka.bootstrapServers,
      clientId: 'traced-consumer',
      groupId: `${topic}-group`,
      topics: [topic],
      logger: jsonLogger('error'),
      retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 10, retryTopicDelaysMs: [200] },
      eachMessage: () => Promise.reject(new RangeError('order 42: amount out of range')),
    });
    consumer.on('record', (o) => (deadLettered ||= o.kind === 'dead-lettered'));
    await consumer.run();
    try {
      await until(
        () => deadLettered,
        60_000,
        () => 'waiting for the dead letter',
      );
    } finally {
      await consumer.stop();
    }

    const spans = otelHolder.current.spans.getFinishedSpans();
    const send = spans.find((s) => s.name === `send ${topic}`)!;
    const traceId = send.spanContext().traceId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
    const parentOf = (s: (typeof spans)[number]) => s.parentSpanContext?.spanId;
    const byName = (name: string) =>
      inTrace
        .filter((s) => s.name === name)
        .sort((a, b) => (a.startTime[0] - b.startTime[0]) * 1e9 + a.startTime[1] - b.startTime[1]);

    // Two attempts on the source topic, both children of the producer's send span.
    const sourceAttempts = byName(`process ${topic}`);
    expect(sourceAttempts).toHaveLength(2);
    for (const [i, s] of sourceAttempts.entries()) {
      expect(parentOf(s)).toBe(send.spanContext().spanId);
      expect(s.attributes['messaging.kafka.attempt']).toBe(i + 1);
      expect(s.attributes['error.type']).toBe('RangeError');
      expect(s.attributes['messaging.consumer.group.name']).toBe(`${topic}-group`);
      expect(s.attributes['messaging.kafka.message.key']).toBe('order-42');
      expect(s.attributes['messaging.kafka.offset']).toBe(0);
      expect(typeof s.attributes['messaging.destination.partition.id']).toBe('string');
    }
    // The hop to retry.1 is sent from the second attempt; the retry attempt continues it.
    const [retrySend] = byName(`send ${topic}.retry.1`);
    expect(parentOf(retrySend!)).toBe(sourceAttempts[1]!.spanContext().spanId);
    const [retryAttempt] = byName(`process ${topic}.retry.1`);
    expect(parentOf(retryAttempt!)).toBe(retrySend!.spanContext().spanId);
    expect(retryAttempt!.attributes['messaging.kafka.attempt']).toBe(3);
    // And the dead letter is sent from the last attempt.
    const [deadLetterSend] = byName(`send ${topic}.dlq`);
    expect(parentOf(deadLetterSend!)).toBe(retryAttempt!.spanContext().spanId);

    const metrics = await otelHolder.current.collectMetrics();
    const names = metrics.map((m) => m.descriptor.name);
    for (const name of [
      'messaging.client.consumed.messages',
      'messaging.process.duration',
      'messaging.kafka.consumer.retries',
      'messaging.kafka.consumer.dead_letters',
    ]) {
      expect(names).toContain(name);
    }
    const consumed = metrics.find(
      (m) => m.descriptor.name === 'messaging.client.consumed.messages',
    )!;
    const total = consumed.dataPoints.reduce((n, p) => n + (p.value as number), 0);
    expect(total).toBe(3);
  });
});
