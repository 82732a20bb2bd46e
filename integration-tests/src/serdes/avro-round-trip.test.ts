import { describe, expect, expectTypeOf, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createConsumer, type ConsumedRecord } from '@org/kafka-consumer';
import { createProducer, type ProducerRecord } from '@org/kafka-producer';
import {
  RegistryClient,
  avro,
  bytesToDecimal,
  defineTopic,
  type AvroValue,
} from '@org/kafka-serdes';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { until } from '../consumer/order-records.js';
import { orderEvent, sampleOrder } from './order-event-schema.js';

describe('typed Avro topic: producer, Kafka, consumer', () => {
  const kafka = sharedKafka();

  it('round-trips 500 order events (strings, longs, enum, null union, array, map, decimal bytes) equal after decode', async () => {
    const name = `orders-avro-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic: name, partitions: 3 });
    const orders = await defineTopic({ name, key: 'string', value: avro(orderEvent) }).bind({
      registry: { url: kafka.registryUrl! },
      writerSchema: 'autoRegister',
    });

    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'serdes-round-trip',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    const sent = Array.from({ length: 500 }, (_, i) => sampleOrder(i));
    try {
      const record: ProducerRecord = orders.record(
        sent.map((value) => ({ key: value.orderId, value })),
      );
      await producer.send(record);
      // For the compiler: a wrong field name in what producer.send gets does not compile.
      const wrong = () =>
        producer.send(
          // @ts-expect-error: 'orderID' is not a field of OrderEvent (orderId is)
          orders.record([{ key: 'k', value: { ...sent[0]!, orderID: 'o' } }]),
        );
      void wrong;
    } finally {
      await producer.disconnect();
    }

    const received = new Map<string, AvroValue<typeof orderEvent, 'read'>>();
    const consumer = createConsumer({
      brokers: kafka.bootstrapServers,
      clientId: 'serdes-round-trip',
      groupId: `${name}-group`,
      topics: [name],
      logger: jsonLogger('error'),
      lag: false,
      // No type arguments: the record and context types come from eachMessage's.
      eachMessage: orders.handler(async (record) => {
        expectTypeOf(record.value.sequence).toEqualTypeOf<number>();
        expectTypeOf(record.value.couponCode).toEqualTypeOf<string | null>();
        expectTypeOf(record.receivedFrom.tier).toEqualTypeOf<number>();
        expectTypeOf(record.rawValue).toEqualTypeOf<ConsumedRecord['value']>();
        expect(record.key).toBe(record.value.orderId);
        received.set(record.key, record.value);
        return Promise.resolve();
      }),
    });
    await consumer.run();
    try {
      await until(
        () => received.size >= sent.length,
        60_000,
        () => `${received.size} of ${sent.length} received`,
      );
    } finally {
      await consumer.stop();
    }

    for (const value of sent) {
      const got = received.get(value.orderId);
      expect({ ...got }).toEqual(value);
    }
    // The decimal bytes are Java's BigDecimal form: the amount comes back to the cent.
    expect(bytesToDecimal(received.get('order-123')!.total, 2)).toBe('4551.23');
    expect(received.get('order-7')!.sequence).toBe(2 ** 40 + 7);
    // Registered as declared: the decimal's logical type and the defaults are there for
    // other clients (Java reads a BigDecimal) and for the registry's compatibility checks.
    const registered = await new RegistryClient({ url: kafka.registryUrl! }).latest(
      `${name}-value`,
    );
    expect(JSON.parse(registered.schema)).toEqual(orderEvent);
  });
});
