import { createServer, type AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { createProducer } from '@org/kafka-producer';
import { RegistryClient, avro, defineTopic } from '@org/kafka-serdes';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { until } from '../consumer/order-records.js';
import { useInMemoryOtel } from '../otel-in-memory.js';

const shipmentV1 = {
  type: 'record',
  name: 'Shipment',
  namespace: 'com.acme.tracing',
  fields: [{ name: 'shipmentId', type: 'string' }],
} as const;
const shipmentV2 = {
  type: 'record',
  name: 'Shipment',
  namespace: 'com.acme.tracing',
  fields: [
    { name: 'shipmentId', type: 'string' },
    { name: 'carrier', type: 'string', default: 'UPS' },
  ],
} as const;

describe('registry requests in traces and metrics (Apicurio)', () => {
  const kafka = sharedKafka();
  const otel = useInMemoryOtel();

  it("a consumer's writer-schema fetch is a child span of the process span that needed it", async () => {
    const name = `shipments-traced-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic: name, partitions: 2 });
    const registry = { url: kafka.registryUrl! };
    // An older service writes v1; the reading service is on v2, so it must fetch v1 by id.
    const written = await defineTopic({ name, key: 'string', value: avro(shipmentV1) }).bind({
      registry,
      writerSchema: 'autoRegister',
    });
    const read = await defineTopic({ name, key: 'string', value: avro(shipmentV2) }).bind({
      registry,
      writerSchema: 'autoRegister',
    });
    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'registry-tracing',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    try {
      await producer.send(
        written.record(
          Array.from({ length: 20 }, (_, i) => ({
            key: `s-${i}`,
            value: { shipmentId: `s-${i}` },
          })),
        ),
      );
    } finally {
      await producer.disconnect();
    }

    const carriers = new Set<string>();
    let received = 0;
    const consumer = createConsumer({
      brokers: kafka.bootstrapServers,
      clientId: 'registry-tracing',
      groupId: `${name}-group`,
      topics: [name],
      logger: jsonLogger('error'),
      lag: false,
      eachMessage: read.handler((record) => {
        carriers.add(record.value.carrier);
        received++;
        return Promise.resolve();
      }),
    });
    await consumer.run();
    try {
      await until(
        () => received >= 20,
        60_000,
        () => `${received} of 20 received`,
      );
    } finally {
      await consumer.stop();
    }
    expect([...carriers]).toEqual(['UPS']);

    const spans = otel.current.spans.getFinishedSpans();
    const fetches = spans.filter((s) => s.name === 'GET /schemas/ids/{id}');
    // One fetch for the v1 id, however many records and partitions needed it at once.
    expect(fetches).toHaveLength(1);
    const [fetch] = fetches;
    expect(fetch!.kind).toBe(SpanKind.CLIENT);
    expect(fetch!.attributes['http.response.status_code']).toBe(200);
    expect(fetch!.attributes['url.full']).toMatch(
      new RegExp(`^${kafka.registryUrl!}/schemas/ids/\\d+$`),
    );
    expect(fetch!.attributes['server.address']).toBe('127.0.0.1');
    const parent = spans.find((s) => s.spanContext().spanId === fetch!.parentSpanContext?.spanId);
    expect(parent?.name).toBe(`process ${name}`);
    expect(parent?.spanContext().traceId).toBe(fetch!.spanContext().traceId);

    // The two binds registered their schemas: one POST each, answered 200.
    const registrations = spans.filter((s) => s.name === 'POST /subjects/{subject}/versions');
    expect(registrations.map((s) => s.attributes['http.response.status_code'])).toEqual([200, 200]);

    const metric = (await otel.current.collectMetrics()).find(
      (m) => m.descriptor.name === 'http.client.request.duration',
    ) as HistogramMetricData | undefined;
    const point = metric?.dataPoints.find(
      (p) =>
        p.attributes['url.template'] === '/schemas/ids/{id}' &&
        p.attributes['http.response.status_code'] === 200,
    );
    expect(point?.value.count).toBe(1);
  });

  it('a missing subject and a registry that is down show as error spans, one per attempt', async () => {
    const client = new RegistryClient({ url: kafka.registryUrl! });
    await expect(client.latest(`nobody-${Date.now()}-value`)).rejects.toThrow('HTTP 404');
    const notFound = otel.current.spans
      .getFinishedSpans()
      .find((s) => s.name === 'GET /subjects/{subject}/versions/latest')!;
    expect(notFound.status.code).toBe(SpanStatusCode.ERROR);
    expect(notFound.attributes['error.type']).toBe('404');

    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const down = new RegistryClient({
      url: `http://127.0.0.1:${port}/apis/ccompat/v7`,
      attempts: 2,
      retryDelayMs: 10,
    });
    await expect(down.schemaById(1)).rejects.toThrow('registry unreachable');
    const attempts = otel.current.spans
      .getFinishedSpans()
      .filter((s) => s.attributes['server.port'] === port);
    expect(attempts.map((s) => s.name)).toEqual(['GET /schemas/ids/{id}', 'GET /schemas/ids/{id}']);
    expect(attempts.map((s) => s.attributes['http.request.resend_count'])).toEqual([undefined, 1]);
    expect(attempts.map((s) => s.attributes['error.type'])).toEqual([
      'ECONNREFUSED',
      'ECONNREFUSED',
    ]);
  });
});
