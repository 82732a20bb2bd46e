import { decimalToBytes, type AvroValue } from '@org/kafka-serdes';

/** An order event using every kind of field the serdes must carry. */
export const orderEvent = {
  type: 'record',
  name: 'OrderEvent',
  namespace: 'com.acme.orders',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'customerId', type: 'string' },
    { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'sequence', type: 'long' },
    {
      name: 'status',
      type: { type: 'enum', name: 'OrderStatus', symbols: ['PLACED', 'PAID', 'SHIPPED'] },
    },
    { name: 'couponCode', type: ['null', 'string'], default: null },
    {
      name: 'lines',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'OrderLine',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'quantity', type: 'int' },
          ],
        },
      },
    },
    { name: 'attributes', type: { type: 'map', values: 'string' } },
    { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
  ],
} as const;

/** The `i`th test order: varied enough that a field read from the wrong place shows. */
export function sampleOrder(i: number): AvroValue<typeof orderEvent, 'read'> {
  return {
    orderId: `order-${i}`,
    customerId: `customer-${i % 17}`,
    placedAt: 1_790_000_000_000 + i,
    // Beyond 2^32: a long read as an int would lose this.
    sequence: 2 ** 40 + i,
    status: (['PLACED', 'PAID', 'SHIPPED'] as const)[i % 3]!,
    couponCode: i % 2 === 0 ? null : `SPRING-${i}`,
    lines: Array.from({ length: (i % 4) + 1 }, (_, n) => ({ sku: `sku-${n}`, quantity: n + 1 })),
    attributes: i % 5 === 0 ? {} : { channel: 'web', 'gift wrap': i % 2 === 0 ? 'yes' : 'no' },
    total: decimalToBytes(`${(i * 37) % 100_000}.${String(i % 100).padStart(2, '0')}`, 2),
  };
}
