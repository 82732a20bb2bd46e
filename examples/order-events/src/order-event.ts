import { avro, defineTopic, type AvroValue } from '@org/kafka-serdes';

/**
 * One order event. The three kinds share a topic (key = order id, so an order's events stay
 * in order on one partition); `type` says which, and the matching detail field is set.
 * Separate nullable fields rather than a union of three records: a union of records has no
 * unambiguous plain-object form, and the typed topic refuses one.
 */
export const orderEventSchema = {
  type: 'record',
  name: 'OrderEvent',
  namespace: 'com.acme.orders',
  fields: [
    { name: 'eventId', type: 'string' },
    {
      name: 'type',
      type: {
        type: 'enum',
        name: 'OrderEventType',
        symbols: ['ORDER_PLACED', 'ORDER_PAID', 'ORDER_SHIPPED'],
      },
    },
    { name: 'orderId', type: 'string' },
    { name: 'customerId', type: 'string' },
    { name: 'vip', type: 'boolean', default: false },
    { name: 'occurredAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    {
      name: 'placed',
      type: [
        'null',
        {
          type: 'record',
          name: 'OrderPlaced',
          fields: [
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
            {
              name: 'total',
              type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 },
            },
            { name: 'currency', type: 'string' },
          ],
        },
      ],
      default: null,
    },
    {
      name: 'paid',
      type: [
        'null',
        {
          type: 'record',
          name: 'OrderPaid',
          fields: [
            { name: 'paymentId', type: 'string' },
            {
              name: 'method',
              type: { type: 'enum', name: 'PaymentMethod', symbols: ['CARD', 'INVOICE', 'WALLET'] },
            },
          ],
        },
      ],
      default: null,
    },
    {
      name: 'shipped',
      type: [
        'null',
        {
          type: 'record',
          name: 'OrderShipped',
          fields: [
            { name: 'carrier', type: 'string' },
            { name: 'trackingCode', type: 'string' },
          ],
        },
      ],
      default: null,
    },
  ],
} as const;

/** What the order service publishes. */
export type OrderEvent = AvroValue<typeof orderEventSchema>;
/** What the fulfilment service receives: every field present. */
export type ReceivedOrderEvent = AvroValue<typeof orderEventSchema, 'read'>;

/** The orders topic: string keys (the order id), Avro values through the registry. */
export function orderEventsTopic(name: string) {
  return defineTopic({ name, key: 'string', value: avro(orderEventSchema) });
}

/** The header the order service sets on VIP customers' events; the partitioner reads it. */
export const customerTierHeader = 'customer-tier';
