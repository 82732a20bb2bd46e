import avro from 'avsc';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AvroSchema, AvroValue } from './avro-types.js';

// Checked by the TypeScript compiler (`npm run typecheck`): a wrong type fails the build.
const orderPlaced = {
  type: 'record',
  name: 'OrderPlaced',
  namespace: 'com.acme.orders',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'SHIPPED'] } },
    { name: 'couponCode', type: ['null', 'string'], default: null },
    {
      name: 'lines',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Line',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'quantity', type: 'int' },
          ],
        },
      },
    },
    { name: 'attributes', type: { type: 'map', values: 'string' } },
    { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
    { name: 'vip', type: 'boolean', default: false },
  ],
} as const;

type Order = AvroValue<typeof orderPlaced>;

describe('AvroValue', () => {
  it('infers records, enums, unions, arrays, maps, bytes and defaults', () => {
    expectTypeOf<Order>().toEqualTypeOf<{
      orderId: string;
      placedAt: number;
      status: 'NEW' | 'PAID' | 'SHIPPED';
      lines: { sku: string; quantity: number }[];
      attributes: Record<string, string>;
      total: Buffer;
      couponCode?: string | null;
      vip?: boolean;
    }>();
  });

  it('rejects a wrong field name, a wrong type and a missing required field', () => {
    const ok: Order = {
      orderId: 'o-1',
      placedAt: 1,
      status: 'NEW',
      lines: [],
      attributes: {},
      total: Buffer.alloc(2),
    };
    // @ts-expect-error: 'orderID' is not a field (the schema says orderId)
    const wrongName: Order = { ...ok, orderID: 'o-1' };
    // @ts-expect-error: status must be one of the enum symbols
    const wrongEnum: Order = { ...ok, status: 'LOST' };
    // @ts-expect-error: quantity is an int
    const wrongType: Order = { ...ok, lines: [{ sku: 'a', quantity: '2' }] };
    // @ts-expect-error: orderId has no default, so it is required
    const missing: Order = {
      placedAt: 1,
      status: 'NEW',
      lines: [],
      attributes: {},
      total: Buffer.alloc(0),
    };
    void [wrongName, wrongEnum, wrongType, missing];
    // What the types accept, avsc accepts: the omitted defaulted fields are filled in.
    const type = avro.Type.forSchema(orderPlaced as unknown as avro.Schema);
    expect(type.isValid(ok)).toBe(true);
    expect({ ...type.fromBuffer(type.toBuffer(ok)) }).toEqual({
      ...ok,
      couponCode: null,
      vip: false,
    });
  });

  it("in 'read' mode has every field, defaulted ones included", () => {
    expectTypeOf<AvroValue<typeof orderPlaced, 'read'>>().toEqualTypeOf<{
      orderId: string;
      placedAt: number;
      status: 'NEW' | 'PAID' | 'SHIPPED';
      lines: { sku: string; quantity: number }[];
      attributes: Record<string, string>;
      total: Buffer;
      couponCode: string | null;
      vip: boolean;
    }>();
  });

  it('maps primitives, fixed, unions of records and unknown references', () => {
    expectTypeOf<AvroValue<'null'>>().toEqualTypeOf<null>();
    expectTypeOf<AvroValue<'double'>>().toEqualTypeOf<number>();
    expectTypeOf<AvroValue<'bytes'>>().toEqualTypeOf<Buffer>();
    expectTypeOf<
      AvroValue<{ readonly type: 'fixed'; readonly name: 'Id'; readonly size: 16 }>
    >().toEqualTypeOf<Buffer>();
    expectTypeOf<AvroValue<readonly ['null', 'long']>>().toEqualTypeOf<number | null>();
    expectTypeOf<AvroValue<'com.acme.Other'>>().toEqualTypeOf<unknown>();
    // Not declared `as const`: nothing is known, and the compiler does not recurse forever.
    expectTypeOf<AvroValue<AvroSchema>>().toEqualTypeOf<unknown>();
  });
});
