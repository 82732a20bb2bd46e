import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { json } from './json-format.js';
import type { Serde } from './serde.js';
import { SerdesError } from './serdes-error.js';

const order = z.object({
  orderId: z.string().min(1),
  amountCents: z.number().int().nonnegative(),
  lines: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })),
  vip: z.boolean().default(false),
});

function bind<In, Out>(format: ReturnType<typeof json<typeof order>>) {
  return format.bind({
    topic: 'orders',
    role: 'value',
    registry: undefined,
    writerSchemas: undefined,
    writerSchema: 'useLatest',
    subjectNameStrategy: 'TopicName',
  }) as Promise<Serde<In, Out>>;
}

function fault(fn: () => unknown): SerdesError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SerdesError);
    return err as SerdesError;
  }
  throw new Error('expected a SerdesError');
}

describe('json format', () => {
  it('round-trips a valid value; the reader gets defaults applied', async () => {
    const serde = await bind<z.input<typeof order>, z.output<typeof order>>(json(order));
    const value = { orderId: 'o-1', amountCents: 1250, lines: [{ sku: 'a', quantity: 2 }] };
    const bytes = serde.encode(value) as Buffer;
    expect(JSON.parse(bytes.toString())).toEqual(value);
    expect(serde.prepare(bytes)).toBeUndefined();
    expect(serde.decode(bytes)).toEqual({ ...value, vip: false });
  });

  it('refuses to encode a value that does not match, naming each field', async () => {
    const serde = await bind<unknown, unknown>(json(order));
    const e = fault(() =>
      serde.encode({ orderId: '', amountCents: 1.5, lines: [{ sku: 'a', quantity: 0 }] }),
    );
    expect(e.fault).toBe('value-mismatch');
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toContain('value of topic "orders" does not match its schema:');
    expect(e.message).toContain('orderId: Too small');
    expect(e.message).toContain('(found "")');
    expect(e.message).toContain(
      'amountCents: Invalid input: expected int, received number (found 1.5)',
    );
    expect(e.message).toContain('lines[0].quantity: Too small');
    const missing = fault(() => serde.encode({ orderId: 'x', lines: [] }));
    expect(missing.message).toContain(
      'amountCents: Invalid input: expected number, received undefined (found missing)',
    );
  });

  it('refuses a value with no JSON form', async () => {
    const anything = await bind<unknown, unknown>(json(z.any() as never));
    expect(fault(() => anything.encode(10n)).message).toMatch(
      /cannot be written as JSON: .*BigInt/,
    );
    expect(fault(() => anything.encode(undefined)).message).toContain('missing has no JSON form');
  });

  it('refuses bytes that are not JSON, or JSON that does not match, and null', async () => {
    const serde = await bind<unknown, unknown>(json(order));
    const notJson = fault(() => serde.decode(Buffer.from('{"orderId": "o-1",}')));
    expect(notJson.fault).toBe('body-mismatch');
    expect(notJson.code).toBe('DESERIALIZATION_FAILED');
    expect(notJson.message).toMatch(/the 19 bytes are not JSON: .*position 18/);
    const wrong = fault(() =>
      serde.decode(Buffer.from('{"orderId":"o-1","amountCents":"12","lines":[]}')),
    );
    expect(wrong.fault).toBe('body-mismatch');
    expect(wrong.message).toContain(
      'amountCents: Invalid input: expected number, received string (found "12")',
    );
    expect(fault(() => serde.decode(null)).fault).toBe('missing-value');
  });

  it('refuses something that is not a zod schema', () => {
    expect(() => json({} as never)).toThrow('json: expected a zod schema');
  });
});
