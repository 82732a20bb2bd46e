import confluent from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import { avro, defineTopic } from '@org/kafka-serdes';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { orderEvent, sampleOrder } from './order-event-schema.js';

const { SchemaRegistry, SchemaType, COMPATIBILITY } = confluent;

// Its register() first compares the subject's compatibility with the one it is given
// (BACKWARD by default) and refuses on a difference. Apicurio answers the subject-level
// question with NONE when only the global rule (BACKWARD here) is set; the global rule
// still applies to the registration.
const registerOptions = (subject: string) => ({ subject, compatibility: COMPATIBILITY.NONE });

// The wire format is the contract with every other client; a second, independent library
// (@kafkajs/confluent-schema-registry 3.9.0, which also uses avsc underneath but its own
// framing, registry calls and caches) must read our bytes and we must read its.
describe('interop with @kafkajs/confluent-schema-registry', () => {
  const kafka = sharedKafka();

  it('our bytes decode with it, and its bytes decode with ours, for 200 order events', async () => {
    const name = `orders-interop-${Date.now()}`;
    const ours = await defineTopic({ name, key: 'string', value: avro(orderEvent) }).bind({
      registry: { url: kafka.registryUrl! },
      writerSchema: 'autoRegister',
    });
    const theirs = new SchemaRegistry({ host: kafka.registryUrl! });

    const orders = Array.from({ length: 200 }, (_, i) => sampleOrder(i));
    for (const order of orders) {
      const bytes = ours.value.encode(order) as Buffer;
      expect({ ...(await theirs.decode(bytes)) }).toEqual(order);
    }

    // It registers the same schema under the same subject: the registry gives the same id.
    const { id } = await theirs.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(orderEvent) },
      registerOptions(`${name}-value`),
    );
    for (const order of orders) {
      const bytes = await theirs.encode(id, order);
      expect(bytes.readInt32BE(1)).toBe((ours.value.encode(order) as Buffer).readInt32BE(1));
      expect(bytes.equals(ours.value.encode(order) as Buffer)).toBe(true);
      const decoded = await ours.decode({ key: Buffer.from(order.orderId), value: bytes });
      expect({ ...decoded.value }).toEqual(order);
    }
  });

  it('reads its bytes written with another version of the schema (v2 with a new field)', async () => {
    const name = `orders-interop-v2-${Date.now()}`;
    const ours = await defineTopic({ name, key: 'string', value: avro(orderEvent) }).bind({
      registry: { url: kafka.registryUrl! },
      writerSchema: 'autoRegister',
    });
    const v2 = {
      ...orderEvent,
      fields: [...orderEvent.fields, { name: 'channel', type: 'string', default: 'web' }],
    };
    const theirs = new SchemaRegistry({ host: kafka.registryUrl! });
    const { id } = await theirs.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(v2) },
      registerOptions(`${name}-value`),
    );
    const order = sampleOrder(42);
    const bytes = await theirs.encode(id, { ...order, channel: 'app' });
    const decoded = await ours.decode({ key: Buffer.from('k'), value: bytes });
    expect({ ...decoded.value }).toEqual(order);
  });
});
