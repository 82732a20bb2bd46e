import { describe, expect, it } from 'vitest';
import { javaPartitionForKey } from '@org/kafka-producer';
import { RegistryClient, avro, defineTopic } from '@org/kafka-serdes';
import { sharedKafka } from '@org/kafka-testkit/vitest';

const orderKey = {
  type: 'record',
  name: 'OrderKey',
  namespace: 'com.acme.orders',
  fields: [
    { name: 'tenant', type: 'string' },
    { name: 'orderId', type: 'string' },
  ],
} as const;
const orderValue = {
  type: 'record',
  name: 'OrderNote',
  namespace: 'com.acme.orders',
  fields: [{ name: 'text', type: 'string' }],
} as const;

describe('Avro keys', () => {
  const kafka = sharedKafka();

  it('registers the key schema under <topic>-key, frames keys, and decodes them typed', async () => {
    const name = `orders-avro-keys-${Date.now()}`;
    const topic = await defineTopic({ name, key: avro(orderKey), value: avro(orderValue) }).bind({
      registry: { url: kafka.registryUrl! },
      writerSchema: 'autoRegister',
    });
    const [message] = topic.record([
      { key: { tenant: 'acme', orderId: 'o-1' }, value: { text: 'leave at the door' } },
    ]).messages;
    const keyBytes = message!.key as Buffer;
    const registry = new RegistryClient({ url: kafka.registryUrl! });
    const keySubject = await registry.latest(`${name}-key`);
    expect(keyBytes[0]).toBe(0);
    expect(keyBytes.readInt32BE(1)).toBe(keySubject.id);
    expect(JSON.parse(keySubject.schema)).toEqual(orderKey);

    const decoded = await topic.decode({ key: keyBytes, value: message!.value as Buffer });
    expect({ ...decoded.key }).toEqual({ tenant: 'acme', orderId: 'o-1' });
    expect(decoded.key.orderId).toBe('o-1');
    expect(decoded.value.text).toBe('leave at the door');
    // Partitioning hashes the serialized key, as the Java client does with KafkaAvroSerializer:
    // equal keys give equal bytes, so the same partition.
    const again = topic.record([{ key: { tenant: 'acme', orderId: 'o-1' }, value: { text: 'x' } }])
      .messages[0]!.key as Buffer;
    expect(again.equals(keyBytes)).toBe(true);
    expect(javaPartitionForKey(again, 12)).toBe(javaPartitionForKey(keyBytes, 12));
  });
});
