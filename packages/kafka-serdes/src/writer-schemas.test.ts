import { describe, expect, it } from 'vitest';
import type { RegisteredSchema } from './registry-client.js';
import { RegistryError } from './registry-client.js';
import { SerdesError } from './serdes-error.js';
import { WriterSchemas } from './writer-schemas.js';

const schema = JSON.stringify({
  type: 'record',
  name: 'R',
  fields: [{ name: 'a', type: 'string' }],
});

/** An in-memory schema source that counts its requests. */
function source(byId: Record<number, RegisteredSchema | RegistryError>) {
  const calls: number[] = [];
  return {
    calls,
    url: 'http://registry.test/apis/ccompat/v7',
    schemaById(id: number): Promise<RegisteredSchema> {
      calls.push(id);
      const found = byId[id];
      if (found === undefined) {
        return Promise.reject(
          new RegistryError('GET /schemas/ids: HTTP 404', { status: 404, url: 'u' }),
        );
      }
      if (found instanceof RegistryError) return Promise.reject(found);
      return Promise.resolve(found);
    },
  };
}

async function rejection(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('WriterSchemas', () => {
  it('fetches an id once, also for concurrent requests, and keeps it', async () => {
    const s = source({ 7: { id: 7, schema } });
    const schemas = new WriterSchemas(s);
    expect(schemas.get(7)).toBeUndefined();
    const [a, b] = await Promise.all([schemas.load(7), schemas.load(7)]);
    expect(a).toBe(b);
    expect(await schemas.load(7)).toBe(a);
    expect(schemas.get(7)).toBe(a);
    expect(s.calls).toEqual([7]);
    expect(a.toBuffer({ a: 'x' })).toEqual(Buffer.from([2, 0x78]));
  });

  it('remembers an unknown id for the miss TTL, then asks again', async () => {
    let now = 1_000;
    const s = source({});
    const schemas = new WriterSchemas(s, 60_000, () => now);
    const first = await rejection(schemas.load(99));
    expect(first).toBeInstanceOf(SerdesError);
    expect((first as SerdesError).fault).toBe('unknown-schema-id');
    expect(first.message).toBe(
      'bytes 1-4 hold schema id 99, which the registry at http://registry.test/apis/ccompat/v7 does not have',
    );
    now += 59_999;
    expect(await rejection(schemas.load(99))).toBe(first);
    expect(s.calls).toEqual([99]);
    now += 1;
    await rejection(schemas.load(99));
    expect(s.calls).toEqual([99, 99]);
  });

  it('passes registry failures on (retriable), remembering nothing', async () => {
    const down = new RegistryError('GET x: registry unreachable', { status: 0, url: 'x' });
    const s = source({ 3: down });
    const schemas = new WriterSchemas(s);
    expect(await rejection(schemas.load(3))).toBe(down);
    expect(down.retriable).toBe(true);
    await rejection(schemas.load(3));
    expect(s.calls).toEqual([3, 3]);
  });

  it('refuses, for good, a schema that is not Avro or does not parse', async () => {
    const s = source({
      1: { id: 1, schema: '{"type":"object"}', schemaType: 'JSON' },
      2: { id: 2, schema: '{"type":"record","name":"R","fields":[{"name":"a","type":"strin"}]}' },
    });
    const schemas = new WriterSchemas(s, 0);
    expect((await rejection(schemas.load(1))).message).toBe(
      'schema id 1 is a JSON schema, not Avro',
    );
    expect((await rejection(schemas.load(2))).message).toBe(
      'schema id 2: not a usable Avro schema: undefined type name: strin',
    );
    await rejection(schemas.load(1));
    await rejection(schemas.load(2));
    expect(s.calls).toEqual([1, 2]);
  });
});
