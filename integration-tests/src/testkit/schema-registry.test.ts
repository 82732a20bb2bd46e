import { describe, expect, it } from 'vitest';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { sharedKafka } from '@org/kafka-testkit/vitest';

describe('the shared Schema Registry', () => {
  const { registryUrl } = sharedKafka();

  const orderV1 = {
    type: 'record',
    name: 'OrderPlaced',
    namespace: 'org.example.orders',
    fields: [
      { name: 'orderId', type: 'string' },
      { name: 'amountCents', type: 'long' },
    ],
  };

  it('accepts an Avro schema and returns it by id through @kafkajs/confluent-schema-registry', async () => {
    expect(registryUrl).toMatch(/\/apis\/ccompat\/v7$/);
    const registry = new SchemaRegistry({ host: registryUrl! });
    const subject = `orders-${Date.now()}-value`;
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(orderV1) },
      { subject },
    );
    expect(id).toBeGreaterThan(0);
    const fetched = JSON.parse(
      await registry.getSchema(id).then((s) => JSON.stringify(s)),
    ) as unknown;
    expect(fetched).toBeTruthy();
    expect(await registry.getLatestSchemaId(subject)).toBe(id);

    const encoded = await registry.encode(id, { orderId: 'o-1', amountCents: 1250 });
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);
    expect(await registry.decode(encoded)).toEqual({ orderId: 'o-1', amountCents: 1250 });
  });

  it('enforces BACKWARD compatibility, as Confluent does by default', async () => {
    const registry = new SchemaRegistry({ host: registryUrl! });
    const subject = `orders-compat-${Date.now()}-value`;
    await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(orderV1) },
      { subject },
    );
    const incompatible = {
      ...orderV1,
      fields: [...orderV1.fields, { name: 'currency', type: 'string' }],
    };
    await expect(
      registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(incompatible) },
        { subject },
      ),
    ).rejects.toThrow(/409|ncompatible/);
  });
});
