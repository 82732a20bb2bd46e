import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as z3 from 'zod/v3';
import * as zm from 'zod/mini';
import { json } from './json-format.js';
import type { Format, Serde } from './serde.js';
import { SerdesError } from './serdes-error.js';

const order = z.object({
  orderId: z.string().min(1),
  amountCents: z.number().int().nonnegative(),
  lines: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })),
  vip: z.boolean().default(false),
});

/** The value of topic "orders", bound without a registry (json needs none). */
const ordersValue: Parameters<Format<unknown, unknown>['bind']>[0] = {
  topic: 'orders',
  role: 'value',
  registry: undefined,
  writerSchemas: undefined,
  writerSchema: 'useLatest',
  subjectNameStrategy: 'TopicName',
};

function bind<In, Out>(format: ReturnType<typeof json<typeof order>>) {
  return format.bind(ordersValue) as Promise<Serde<In, Out>>;
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

  it('refuses something that is not a Standard Schema', () => {
    const expected =
      'json: expected a schema implementing Standard Schema v1 (zod 3.24 or later, Valibot, ArkType)';
    expect(() => json({} as never)).toThrow(expected);
    expect(() => json({ safeParse: () => ({ success: true }) } as never)).toThrow(expected);
    expect(() => json({ '~standard': { version: 2, validate: () => ({}) } } as never)).toThrow(
      expected,
    );
  });

  it('refuses a schema that validates asynchronously, naming the topic', async () => {
    const slow = z.string().refine(async () => Promise.resolve(true));
    const serde = await bind<unknown, unknown>(json(slow as never));
    const e = fault(() => serde.encode('x'));
    expect(e.message).toBe(
      'value of topic "orders": its schema validates asynchronously (an async refinement or transform); json() needs a synchronous schema',
    );
  });
});

describe('json format with the schema libraries services bring', () => {
  it('zod 3 (classic API): types and validation, issues named by field', async () => {
    const classic = z3.object({ orderId: z3.string().min(1), qty: z3.number().default(1) });
    const format = json(classic);
    const serde = await format.bind(ordersValue);
    const bytes = serde.encode({ orderId: 'o-1' }) as Buffer;
    expect(serde.decode(bytes)).toEqual({ orderId: 'o-1', qty: 1 });
    expect(fault(() => serde.encode({ orderId: '' })).message).toContain(
      'orderId: String must contain at least 1 character(s) (found "")',
    );
  });

  it('zod mini: the same', async () => {
    const mini = zm.object({ orderId: zm.string().check(zm.minLength(1)) });
    const serde = await bind<unknown, unknown>(json(mini) as never);
    expect(serde.decode(Buffer.from('{"orderId":"o-1"}'))).toEqual({ orderId: 'o-1' });
    expect(fault(() => serde.decode(Buffer.from('{"orderId":""}'))).message).toContain(
      'orderId: Too small',
    );
  });

  it('a path given as { key } segments names the field too', async () => {
    const handWritten = {
      '~standard': {
        version: 1 as const,
        vendor: 'hand-written',
        validate: (value: unknown) =>
          typeof value === 'object'
            ? { issues: [{ message: 'bad', path: [{ key: 'lines' }, { key: 2 }, 'sku'] }] }
            : { value },
      },
    };
    const serde = await bind<unknown, unknown>(json(handWritten) as never);
    expect(fault(() => serde.encode({ lines: [] })).message).toContain(
      'lines[2].sku: bad (found missing)',
    );
  });
});
