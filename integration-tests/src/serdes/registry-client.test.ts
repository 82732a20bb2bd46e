import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RegistryClient, RegistryError } from '@org/kafka-serdes';
import { sharedKafka } from '@org/kafka-testkit/vitest';

const v1 = {
  type: 'record',
  name: 'OrderPlaced',
  namespace: 'com.acme.orders',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'amount', type: 'long' },
  ],
};
const v2 = { ...v1, fields: [...v1.fields, { name: 'currency', type: 'string', default: 'EUR' }] };
// Changes a field's type: a reader of v3 cannot read v2 data.
const v3 = { ...v1, fields: [{ name: 'orderId', type: 'int' }, v1.fields[1]] };

async function refusal(work: Promise<unknown>): Promise<RegistryError> {
  try {
    await work;
  } catch (err) {
    expect(err).toBeInstanceOf(RegistryError);
    return err as RegistryError;
  }
  throw new Error('expected a RegistryError');
}

describe('schema registry client against Apicurio (ccompat API)', () => {
  const kafka = sharedKafka();

  it('registers, finds by id and subject, and surfaces refusals with the URL', async () => {
    const client = new RegistryClient({ url: kafka.registryUrl! });
    const subject = `orders-${Date.now()}-value`;
    const id1 = await client.register(subject, JSON.stringify(v1));
    expect(await client.register(subject, JSON.stringify(v1))).toBe(id1); // idempotent
    expect(JSON.parse((await client.schemaById(id1)).schema)).toEqual(v1);
    const id2 = await client.register(subject, JSON.stringify(v2));
    expect(id2).not.toBe(id1);
    expect(await client.latest(subject)).toMatchObject({ id: id2, version: 2 });
    expect((await client.lookup(subject, JSON.stringify(v1))).id).toBe(id1);

    const incompatible = await refusal(client.register(subject, JSON.stringify(v3)));
    expect(incompatible.status).toBe(409);
    expect(incompatible.retriable).toBe(false);
    expect(incompatible.message).toContain(`${kafka.registryUrl}/subjects/${subject}/versions`);

    const unknownId = await refusal(client.schemaById(2_000_000_000));
    expect(unknownId.status).toBe(404);
    expect(unknownId.message).toContain(`${kafka.registryUrl}/schemas/ids/2000000000`);
    const unknownSubject = await refusal(client.latest(`${subject}-nope`));
    expect(unknownSubject.status).toBe(404);
  });

  it('names the URL of a registry that is down, after its retries', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const url = `http://127.0.0.1:${port}/apis/ccompat/v7`;
    const client = new RegistryClient({
      url,
      attempts: 2,
      retryDelayMs: 10,
    });
    const down = await refusal(client.schemaById(1));
    expect(down.status).toBe(0);
    expect(down.retriable).toBe(true);
    expect(down.message).toContain(`GET ${url}/schemas/ids/1: registry unreachable`);
    expect(down.message).toContain('ECONNREFUSED');
  });
});
