import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { avro } from './avro-format.js';
import type { AvroValue } from './avro-types.js';
import { json } from './json-format.js';
import { noKey } from './key-formats.js';
import { SerdesError } from './serdes-error.js';
import { defineTopic, type DecodedRecord } from './typed-topic.js';

const payment = z.object({
  orderId: z.string(),
  cents: z.number().int(),
  retried: z.boolean().default(false),
});
const payments = defineTopic({ name: 'payments', key: 'string', value: json(payment) });

/** The parts of a consumed record a handler sees, as @org/kafka-consumer delivers them. */
interface Consumed {
  readonly topic: string;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

const consumed = (key: string | null, value: string | null, offset = '0'): Consumed => ({
  topic: 'payments',
  offset,
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
});

describe('defineTopic with JSON values', () => {
  it('builds producer records and hands decoded, typed records to a handler', async () => {
    const topic = await payments.bind();
    const record = topic.record([
      { key: 'o-1', value: { orderId: 'o-1', cents: 500 } },
      {
        key: 'o-2',
        value: { orderId: 'o-2', cents: 700, retried: true },
        headers: { h: 'x' },
        partition: 3,
      },
    ]);
    expect(record.topic).toBe('payments');
    expect(record.messages[0]).toEqual({
      key: 'o-1',
      value: Buffer.from('{"orderId":"o-1","cents":500}'),
    });
    expect(record.messages[1]).toMatchObject({ key: 'o-2', headers: { h: 'x' }, partition: 3 });

    const seen: DecodedRecord<Consumed, string, z.output<typeof payment>>[] = [];
    const handler = topic.handler<Consumed, { signal: AbortSignal }>((r) => {
      expectTypeOf(r.value.cents).toEqualTypeOf<number>();
      expectTypeOf(r.value.retried).toEqualTypeOf<boolean>();
      expectTypeOf(r.key).toEqualTypeOf<string>();
      expectTypeOf(r.offset).toEqualTypeOf<string>();
      seen.push(r);
      return Promise.resolve();
    });
    const raw = consumed('o-1', '{"orderId":"o-1","cents":500}', '41');
    await handler(raw, { signal: new AbortController().signal });
    expect(seen).toEqual([
      {
        topic: 'payments',
        offset: '41',
        key: 'o-1',
        value: { orderId: 'o-1', cents: 500, retried: false },
        rawKey: raw.key,
        rawValue: raw.value,
      },
    ]);
    expect(await topic.decode(raw)).toEqual(seen[0]);
  });

  it('names the message and field of a value that does not encode', async () => {
    const topic = await payments.bind();
    expect(() =>
      topic.record([
        { key: 'o-1', value: { orderId: 'o-1', cents: 1 } },
        { key: 'o-2', value: { orderId: 'o-2', cents: 1.5 } },
      ]),
    ).toThrow(
      /^messages\[1\]: value of topic "payments" does not match its schema: cents: Invalid input: expected int/,
    );
    // @ts-expect-error: the key is a string, and required
    expect(() => topic.record([{ value: { orderId: 'o-1', cents: 1 } }])).toThrow(
      'messages[0]: key of topic "payments": expected a string, got undefined',
    );
    // @ts-expect-error: 'amount' is not a field of the value
    void (() => topic.record([{ key: 'k', value: { orderId: 'o', amount: 1 } }]));
  });

  it('keeps the handler from ever seeing a record that does not decode', async () => {
    const topic = await payments.bind();
    let calls = 0;
    const handler = topic.handler<Consumed, undefined>(() => {
      calls++;
      return Promise.resolve();
    });
    for (const [key, value, fault] of [
      ['o-1', 'not json', 'body-mismatch'],
      ['o-1', '{"orderId":"o-1"}', 'body-mismatch'],
      [null, '{"orderId":"o-1","cents":1}', 'missing-value'],
      ['o-1', null, 'missing-value'],
    ] as const) {
      const err = await handler(consumed(key, value), undefined).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SerdesError);
      expect((err as SerdesError).fault).toBe(fault);
      expect((err as SerdesError).retriable).toBe(false);
    }
    expect(calls).toBe(0);
  });

  it('fails a batch on one bad record, and decodes a good batch', async () => {
    const topic = await payments.bind();
    const batches: number[][] = [];
    const handler = topic.batchHandler<Consumed, undefined>((records) => {
      batches.push(records.map((r) => r.value.cents));
      return Promise.resolve();
    });
    await handler(
      [consumed('a', '{"orderId":"a","cents":1}'), consumed('b', '{"orderId":"b","cents":2}')],
      undefined,
    );
    await expect(
      handler([consumed('a', '{"orderId":"a","cents":1}'), consumed('b', '{')], undefined),
    ).rejects.toThrow(SerdesError);
    expect(batches).toEqual([[1, 2]]);
  });

  it('has no key with noKey()', async () => {
    const events = await defineTopic({
      name: 'events',
      key: noKey(),
      value: json(z.string()),
    }).bind();
    expect(events.record([{ value: 'hello' }]).messages[0]).toEqual({
      key: null,
      value: Buffer.from('"hello"'),
    });
    expect((await events.decode(consumed('ignored', '"hi"'))).key).toBeNull();
  });

  it('refuses a bad topic name, a format that is not one, a missing registry, a bad mode', async () => {
    expect(() => defineTopic({ name: 'a b', key: 'string', value: json(payment) })).toThrow(
      /defineTopic name: expected a Kafka topic name .*got "a b"/,
    );
    expect(() => defineTopic({ name: 't', key: 'text' as 'string', value: json(payment) })).toThrow(
      /defineTopic key of "t": expected 'string' or a format/,
    );
    expect(() => defineTopic({ name: 't', key: 'string', value: {} as never })).toThrow(
      /defineTopic value of "t": expected a format/,
    );
    const needsRegistry = {
      kind: 'avro',
      needsRegistry: true,
      bind: () => Promise.reject(new Error('not reached')),
    };
    await expect(
      defineTopic({ name: 't', key: 'string', value: needsRegistry }).bind(),
    ).rejects.toThrow(
      'bind "t": registry: required, the topic\'s value format uses a schema registry',
    );
    await expect(payments.bind({ writerSchema: 'register' as 'autoRegister' })).rejects.toThrow(
      /writerSchema: expected 'useLatest' or 'autoRegister', got "register"/,
    );
  });
});

describe('defineTopic with an Avro value: the types follow the schema', () => {
  const placed = {
    type: 'record',
    name: 'OrderPlaced',
    fields: [
      { name: 'orderId', type: 'string' },
      { name: 'cents', type: 'long' },
      { name: 'vip', type: 'boolean', default: false },
    ],
  } as const;
  const orders = defineTopic({ name: 'orders', key: 'string', value: avro(placed) });
  type Orders = Awaited<ReturnType<typeof orders.bind>>;

  it('takes write-shaped values and hands out read-shaped ones (checked by tsc)', () => {
    expectTypeOf<Parameters<Orders['record']>[0][number]['value']>().toEqualTypeOf<
      AvroValue<typeof placed>
    >();
    type Handled = Parameters<Parameters<Orders['handler']>[0]>[0];
    expectTypeOf<Handled['value']>().toEqualTypeOf<{
      orderId: string;
      cents: number;
      vip: boolean;
    }>();
    // Never called: these lines are here for the compiler, which must refuse each one.
    const wrong = (topic: Orders) => [
      // @ts-expect-error: 'orderID' is not a field (the schema says orderId)
      topic.record([{ key: 'o-1', value: { orderID: 'o-1', cents: 1 } }]),
      // @ts-expect-error: cents is a long (a number), not a string
      topic.record([{ key: 'o-1', value: { orderId: 'o-1', cents: '1' } }]),
      // @ts-expect-error: the key is a string
      topic.record([{ key: 7, value: { orderId: 'o-1', cents: 1 } }]),
    ];
    expect(typeof wrong).toBe('function');
    expect(orders.name).toBe('orders');
  });

  it('refuses a schema avsc cannot use, when the format is made', () => {
    expect(() =>
      avro({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'strin' }] }),
    ).toThrow('avro schema: not a usable Avro schema: undefined type name: strin');
    expect(() =>
      avro([
        { type: 'record', name: 'A', fields: [] },
        { type: 'record', name: 'B', fields: [] },
      ]),
    ).toThrow(/ambiguous unwrapped union/);
    expect(() => avro('string', { schemaId: -1 })).toThrow(
      'avro schemaId: expected an integer >= 0, got -1',
    );
  });
});
