import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  RegistryClient,
  SchemaSetupError,
  avro,
  defineTopic,
  type AvroSchema,
} from '@org/kafka-serdes';
import { sharedKafka } from '@org/kafka-testkit/vitest';

const v1 = {
  type: 'record',
  name: 'Payment',
  namespace: 'com.acme.payments',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'cents', type: 'long' },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
} as const;
// v2 adds a field with a default.
const v2 = {
  ...v1,
  fields: [...v1.fields, { name: 'currency', type: 'string', default: 'EUR' }],
} as const;
// v2 without the optional `note`.
const v2WithoutNote = { ...v1, fields: [v1.fields[0], v1.fields[1], v2.fields[3]] } as const;
// orderId changes type: a reader of v3 cannot read v2 data (refused under BACKWARD).
const v3 = { ...v1, fields: [{ name: 'orderId', type: 'int' }, v1.fields[1]] } as const;

/** An Avro value's encoded bytes (Avro encodes to a Buffer; the Serde type allows strings too). */
function avroBytes<V>(
  topic: { value: { encode(value: V): Buffer | string | null } },
  value: V,
): Buffer {
  return topic.value.encode(value) as Buffer;
}

async function setupError(work: Promise<unknown>): Promise<SchemaSetupError> {
  try {
    await work;
  } catch (err) {
    expect(err).toBeInstanceOf(SchemaSetupError);
    return err as SchemaSetupError;
  }
  throw new Error('expected a SchemaSetupError');
}

describe('schema evolution through the registry (Apicurio, BACKWARD)', () => {
  const kafka = sharedKafka();
  const registry = () => new RegistryClient({ url: kafka.registryUrl! });
  const bind = <S extends AvroSchema>(
    name: string,
    schema: S,
    writerSchema: 'autoRegister' | 'useLatest' = 'autoRegister',
    schemaId?: number,
  ) =>
    defineTopic({ name, key: 'string', value: avro(schema, { schemaId }) }).bind({
      registry: registry(),
      writerSchema,
    });

  it('v1 writer, v2 reader and v2 writer, v1 reader both decode; removing an optional field too', async () => {
    const name = `payments-evolve-${Date.now()}`;
    const writer1 = await bind(name, v1);
    const v1Bytes = avroBytes(writer1, { orderId: 'o-1', cents: 1250, note: 'first' });
    // The v2 service registers v2 (compatible: it reads v1 data).
    const writer2 = await bind(name, v2);
    const v2Bytes = avroBytes(writer2, { orderId: 'o-2', cents: 990, currency: 'CHF' });
    expect(v2Bytes.readInt32BE(1)).not.toBe(v1Bytes.readInt32BE(1));

    // A v2 reader reads v1 data: the added field takes its default.
    const reader2 = await bind(name, v2, 'useLatest');
    expect({ ...(await reader2.decode({ key: Buffer.from('k'), value: v1Bytes })).value }).toEqual({
      orderId: 'o-1',
      cents: 1250,
      note: 'first',
      currency: 'EUR',
    });
    // A v1 reader (still deployed) reads v2 data: the field it does not know is skipped.
    const reader1 = await bind(name, v1, 'useLatest');
    expect({ ...(await reader1.decode({ key: Buffer.from('k'), value: v2Bytes })).value }).toEqual({
      orderId: 'o-2',
      cents: 990,
      note: null,
    });

    // Removing the optional `note` is compatible; its data reads with note = null in v2.
    const writer4 = await bind(name, v2WithoutNote);
    const v4Bytes = avroBytes(writer4, { orderId: 'o-4', cents: 5 });
    expect({ ...(await reader2.decode({ key: Buffer.from('k'), value: v4Bytes })).value }).toEqual({
      orderId: 'o-4',
      cents: 5,
      note: null,
      currency: 'EUR',
    });
    expect({ ...(await writer4.decode({ key: Buffer.from('k'), value: v1Bytes })).value }).toEqual({
      orderId: 'o-1',
      cents: 1250,
      currency: 'EUR',
    });
  });

  it("refuses to register an incompatible v3, with the registry's reason and the subject", async () => {
    const name = `payments-incompatible-${Date.now()}`;
    await bind(name, v1);
    await bind(name, v2);
    const refused = await setupError(bind(name, v3));
    expect(refused.subject).toBe(`${name}-value`);
    expect(refused.retriable).toBe(false);
    expect(refused.message).toContain(
      `registering the value of topic "${name}" (subject "${name}-value") failed: POST ${kafka.registryUrl}/subjects/${name}-value/versions: HTTP 409`,
    );
    console.log(`incompatible v3: ${refused.message}`);
  });

  it('useLatest writes with the latest version and never registers; fails at start when it cannot', async () => {
    const name = `payments-latest-${Date.now()}`;
    const missing = await setupError(bind(name, v1, 'useLatest'));
    expect(missing.message).toBe(
      `value of topic "${name}" (subject "${name}-value"): the registry has no subject "${name}-value" (useLatest never registers: register the schema first, or use writerSchema 'autoRegister' in development)`,
    );
    const client = registry();
    await expect(client.latest(`${name}-value`)).rejects.toMatchObject({ status: 404 });

    const id2 = await client.register(`${name}-value`, JSON.stringify(v2));
    // A v1 service in useLatest writes v2 (id2), the new field at its default.
    const oldService = await bind(name, v1, 'useLatest');
    const bytes = avroBytes(oldService, { orderId: 'o-9', cents: 1 });
    expect(bytes.readInt32BE(1)).toBe(id2);
    const reader2 = await bind(name, v2, 'useLatest');
    expect((await reader2.decode({ key: Buffer.from('k'), value: bytes })).value.currency).toBe(
      'EUR',
    );
    expect((await client.latest(`${name}-value`)).id).toBe(id2); // nothing registered

    // A latest schema that requires a field this service does not have cannot take its values.
    const strict = `${name}-strict`;
    await client.register(
      `${strict}-value`,
      JSON.stringify({ ...v1, fields: [...v1.fields, { name: 'region', type: 'string' }] }),
    );
    const cannot = await setupError(bind(strict, v1, 'useLatest'));
    expect(cannot.message).toMatch(
      new RegExp(
        `^value of topic "${strict}" \\(subject "${strict}-value"\\): the registered schema \\(version 1, id \\d+\\) cannot take this service's values: .*region`,
      ),
    );
  });

  it('a pinned schemaId writes with that id; an unknown one fails at start', async () => {
    const name = `payments-pinned-${Date.now()}`;
    const client = registry();
    const id1 = await client.register(`${name}-value`, JSON.stringify(v1));
    await client.register(`${name}-value`, JSON.stringify(v2));
    const pinned = await bind(name, v1, 'useLatest', id1);
    expect(avroBytes(pinned, { orderId: 'o', cents: 2 }).readInt32BE(1)).toBe(id1);
    const unknown = await setupError(bind(name, v1, 'useLatest', 1_999_999_999));
    expect(unknown.message).toContain('the registry has no schema id 1999999999');
  });

  it('a registry that is down at start: an error naming its URL, retriable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/apis/ccompat/v7`;
    const down = await setupError(
      defineTopic({ name: 'payments', key: 'string', value: avro(v1) }).bind({
        registry: { url, attempts: 2, retryDelayMs: 10 },
      }),
    );
    expect(down.message).toContain(
      `GET ${url}/subjects/payments-value/versions/latest: registry unreachable`,
    );
    expect(down.message).toContain('ECONNREFUSED');
    expect(down.retriable).toBe(true);
  });
});
