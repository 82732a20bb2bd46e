import { decimalToBytes, type AvroValue } from '@org/kafka-serdes';

/** A small event: three fields. */
export const smallSchema = {
  type: 'record',
  name: 'PaymentSeen',
  namespace: 'bench',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'cents', type: 'long' },
    { name: 'vip', type: 'boolean' },
  ],
} as const;

/** A 12-field order, the shape of a real order event. */
export const orderSchema = {
  type: 'record',
  name: 'OrderPlaced',
  namespace: 'bench',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'customerId', type: 'string' },
    { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    {
      name: 'status',
      type: { type: 'enum', name: 'Status', symbols: ['PLACED', 'PAID', 'SHIPPED'] },
    },
    { name: 'currency', type: 'string' },
    { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
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
            { name: 'cents', type: 'long' },
          ],
        },
      },
    },
    {
      name: 'shipTo',
      type: {
        type: 'record',
        name: 'Address',
        fields: [
          { name: 'street', type: 'string' },
          { name: 'city', type: 'string' },
          { name: 'postcode', type: 'string' },
          { name: 'country', type: 'string' },
        ],
      },
    },
    { name: 'attributes', type: { type: 'map', values: 'string' } },
    { name: 'itemCount', type: 'int' },
    { name: 'vip', type: 'boolean' },
  ],
} as const;

export function smallRecord(i: number): AvroValue<typeof smallSchema, 'read'> {
  return { orderId: `order-${i}`, cents: 1000 + i, vip: i % 10 < 8 };
}

export function orderRecord(i: number): AvroValue<typeof orderSchema, 'read'> {
  const lines = Array.from({ length: (i % 3) + 1 }, (_, n) => ({
    sku: `sku-${(i + n) % 500}`,
    quantity: n + 1,
    cents: 499 + n * 100,
  }));
  return {
    orderId: `order-${i}`,
    customerId: `customer-${i % 1000}`,
    placedAt: 1_790_000_000_000 + i,
    status: 'PLACED',
    currency: 'EUR',
    total: decimalToBytes(`${(i % 10_000) + 10}.${String(i % 100).padStart(2, '0')}`, 2),
    couponCode: i % 4 === 0 ? `SPRING-${i % 50}` : null,
    lines,
    shipTo: {
      street: `${i % 200} Main Street`,
      city: 'Springfield',
      postcode: '12345',
      country: 'DE',
    },
    attributes: { channel: i % 2 === 0 ? 'web' : 'app' },
    itemCount: lines.length,
    vip: i % 10 < 8,
  };
}
