import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createProducer } from '@org/kafka-producer';
import { consumeN, createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { useInMemoryOtel } from '../otel-in-memory.js';

describe('producer tracing and metrics', () => {
  const kafka = sharedKafka();
  const otelHolder = useInMemoryOtel();

  it('makes a PRODUCER span per send, puts its context in the record headers, and counts', async () => {
    const topic = `traced-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 3 });
    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'traced',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    const [meta] = await producer.send({ topic, messages: [{ key: 'order-1', value: 'placed' }] });
    await producer.send({
      topic,
      messages: [
        { key: 'order-2', value: 'a' },
        { key: 'order-3', value: 'b' },
      ],
    });
    await producer.disconnect();

    const spans = otelHolder.current.spans
      .getFinishedSpans()
      .filter((s) => s.name === `send ${topic}`);
    expect(spans).toHaveLength(2);
    const single = spans.find((s) => s.attributes['messaging.kafka.message.key'] === 'order-1')!;
    expect(single.kind).toBe(SpanKind.PRODUCER);
    expect(single.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'messaging.destination.partition.id': String(meta!.partition),
      'messaging.operation.name': 'send',
      'messaging.client.id': 'traced',
    });
    expect(spans.find((s) => s !== single)!.attributes['messaging.batch.message_count']).toBe(2);

    const [record] = (await consumeN(kafka.bootstrapServers, topic, 3)).filter(
      (r) => r.key?.toString() === 'order-1',
    );
    const traceparent = record!.headers.traceparent!.toString();
    expect(traceparent).toBe(
      `00-${single.spanContext().traceId}-${single.spanContext().spanId}-01`,
    );

    const collected = await otelHolder.current.collectMetrics();
    const sent = collected.find((m) => m.descriptor.name === 'messaging.client.sent.messages')!;
    const total = sent.dataPoints
      .filter((p) => p.attributes['messaging.destination.name'] === topic)
      .reduce((n, p) => n + (p.value as number), 0);
    expect(total).toBe(3);
    const duration = collected.find(
      (m) => m.descriptor.name === 'messaging.client.operation.duration',
    )!;
    expect(duration.descriptor.unit).toBe('s');
  });
});
