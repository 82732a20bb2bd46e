import { describe, expect, it } from 'vitest';
import {
  RegistryClient,
  SerdesError,
  avro,
  defineTopic,
  frame,
  type SerdesFault,
} from '@org/kafka-serdes';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { orderEvent, sampleOrder } from './order-event-schema.js';

async function fault(work: () => unknown): Promise<SerdesError> {
  try {
    await work();
  } catch (err) {
    expect(err).toBeInstanceOf(SerdesError);
    expect((err as SerdesError).retriable).toBe(false);
    return err as SerdesError;
  }
  throw new Error('expected a SerdesError');
}

describe('bad input: typed errors, never a crash or a wrong value', () => {
  const kafka = sharedKafka();
  const name = `orders-bad-${Date.now()}`;
  const bound = () =>
    defineTopic({ name, key: 'string', value: avro(orderEvent) }).bind({
      registry: { url: kafka.registryUrl! },
      writerSchema: 'autoRegister',
    });
  const decode = async (value: Buffer | null) =>
    (await bound()).decode({ key: Buffer.from('order-1'), value });

  it('refuses bytes that are not in the wire format, naming the byte', async () => {
    const cases: [Buffer | null, SerdesFault, string][] = [
      [
        Buffer.from('{"orderId":"o-1"}'),
        'unknown-magic-byte',
        "byte 0 is 0x7b ('{': JSON?), expected the magic byte 0x00",
      ],
      [Buffer.from([0x01, 0, 0, 0, 1, 2]), 'unknown-magic-byte', 'byte 0 is 0x01'],
      [Buffer.from([0, 0, 0]), 'truncated-header', '3 bytes: the wire-format header needs 5'],
      [Buffer.alloc(0), 'truncated-header', '0 bytes'],
      [null, 'missing-value', 'a null (tombstone) record has no schema id'],
    ];
    for (const [bytes, expectedFault, text] of cases) {
      const e = await fault(() => decode(bytes));
      expect(e.fault).toBe(expectedFault);
      expect(e.code).toBe('DESERIALIZATION_FAILED');
      expect(e.message).toContain(text);
    }
  });

  it('refuses a schema id the registry does not have, naming it and the registry', async () => {
    const e = await fault(() => decode(frame(2_000_000_001, Buffer.from([2, 0x41]))));
    expect(e.fault).toBe('unknown-schema-id');
    expect(e.message).toBe(
      `bytes 1-4 hold schema id 2000000001, which the registry at ${kafka.registryUrl} does not have`,
    );
  });

  it('refuses a body that does not match its writer schema', async () => {
    const topic = await bound();
    const good = topic.value.encode(sampleOrder(1)) as Buffer;
    const truncated = await fault(() => decode(good.subarray(0, good.length - 3)));
    expect(truncated.fault).toBe('body-mismatch');
    expect(truncated.message).toMatch(
      new RegExp(
        `^value of topic "${name}": the ${good.length - 8}-byte body after the header does not match writer schema id ${good.readInt32BE(1)}: truncated buffer$`,
      ),
    );
    const trailing = await fault(() => decode(Buffer.concat([good, Buffer.from([0, 0])])));
    expect(trailing.message).toContain('trailing data');
    // An enum index beyond the symbols: the bytes cannot be a value of the schema.
    const garbage = Buffer.from(good);
    garbage.fill(0x7f, 5);
    expect((await fault(() => decode(garbage))).fault).toBe('body-mismatch');
  });

  it('refuses bytes written with a schema this reader cannot read, and a non-Avro schema', async () => {
    const client = new RegistryClient({ url: kafka.registryUrl! });
    const other = { type: 'record', name: 'Unrelated', fields: [{ name: 'n', type: 'int' }] };
    const otherId = await client.register(`${name}-other-value`, JSON.stringify(other));
    const e = await fault(() => decode(frame(otherId, Buffer.from([2]))));
    expect(e.fault).toBe('body-mismatch');
    expect(e.message).toContain(
      `written with schema id ${otherId}, which this service's schema cannot read`,
    );

    const jsonSchemaId = await registerJsonSchema(kafka.registryUrl!, `${name}-json-value`);
    const notAvro = await fault(() => decode(frame(jsonSchemaId, Buffer.from('{}'))));
    expect(notAvro.fault).toBe('unknown-schema-id');
    expect(notAvro.message).toBe(`schema id ${jsonSchemaId} is a JSON schema, not Avro`);
  });

  it('refuses to encode a value that does not match, naming the field path', async () => {
    const topic = await bound();
    const order = sampleOrder(3);
    const id = (topic.value.encode(order) as Buffer).readInt32BE(1);
    const cases: [unknown, string][] = [
      [
        {
          ...order,
          lines: [
            { sku: 'a', quantity: 1 },
            { sku: 'b', quantity: '2' },
          ],
        },
        'lines[1].quantity is "2", expected int',
      ],
      [{ ...order, status: 'LOST' }, 'status is "LOST", expected one of PLACED, PAID, SHIPPED'],
      [{ ...order, orderId: undefined }, 'orderId is missing, expected string'],
      [{ ...order, couponCode: 7 }, 'couponCode is 7, expected null or string'],
      [{ ...order, sequence: 2 ** 60 }, 'sequence is 1152921504606847000, expected long'],
      [
        { ...order, attributes: { 'gift wrap': true } },
        'attributes["gift wrap"] is true, expected string',
      ],
      [{ ...order, total: '12.50' }, 'total is "12.50", expected bytes'],
    ];
    for (const [value, text] of cases) {
      const e = await fault(() => topic.record([{ key: 'k', value: value as typeof order }]));
      expect(e.fault).toBe('value-mismatch');
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.message).toBe(
        `messages[0]: value of topic "${name}" does not match schema id ${id}: ${text}`,
      );
    }
  });
});

/** Registers a JSON Schema through the Confluent API, as a non-Avro client would. */
async function registerJsonSchema(url: string, subject: string): Promise<number> {
  const response = await fetch(`${url}/subjects/${subject}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({
      schemaType: 'JSON',
      // Apicurio needs $schema to tell a JSON Schema from other content (422 without it).
      schema: JSON.stringify({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
      }),
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: number }).id;
}
