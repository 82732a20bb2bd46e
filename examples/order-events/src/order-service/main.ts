// The order service: places orders and publishes their events (placed, paid, shipped) to the
// orders topic, keyed by order id, with VIP customers' events on the VIP share of partitions.
import { SpanStatusCode } from '@opentelemetry/api';
import { onShutdownSignal } from '@org/kafka-core';
import { createProducer, vipPriorityPartitioner } from '@org/kafka-producer';
import { customerTierHeader, orderEventsTopic, type OrderEvent } from '../order-event.js';
import { writeStats } from '../service-env.js';
import { startServiceRuntime } from '../telemetry.js';
import { orderServiceConfig } from './config.js';
import { OrderFlow } from './order-flow.js';

const service = 'order-service';
const config = orderServiceConfig();
const { telemetry, logger, tracer } = startServiceRuntime(service, config);

const orders = await orderEventsTopic(config.ORDERS_TOPIC).bind({
  registry: { url: config.SCHEMA_REGISTRY_URL },
  writerSchema: config.SCHEMA_MODE,
});
const producer = createProducer({
  brokers: config.KAFKA_BROKERS,
  clientId: config.CLIENT_ID,
  logger,
  compression: config.COMPRESSION,
  partitioner: vipPriorityPartitioner({
    vipShare: config.VIP_SHARE,
    isVip: (message) => message.headers?.[customerTierHeader]?.toString() === 'vip',
  }),
});
await producer.connect();

const flow = new OrderFlow({
  ordersPerSecond: config.ORDERS_PER_SECOND,
  customers: Array.from(
    { length: config.CUSTOMERS },
    (_, i) => `customer-${String(i).padStart(4, '0')}`,
  ),
  vipCustomers: config.VIP_CUSTOMERS,
  stepDelayMs: config.STEP_DELAY_MS,
});
const stats = { published: 0, vipPublished: 0, failed: 0, inFlight: 0, ordersPlaced: 0 };
const inFlight = new Set<Promise<void>>();

/** Publishes one event, as a request handler would: its own span, its own send. */
function publish(event: OrderEvent): void {
  const sending = tracer.startActiveSpan(
    `publish ${event.type}`,
    {
      attributes: {
        'order.id': event.orderId,
        'order.event_id': event.eventId,
        'customer.vip': event.vip ?? false,
      },
    },
    async (span) => {
      try {
        const [meta] = await producer.send(
          orders.record([
            {
              key: event.orderId,
              value: event,
              headers: { [customerTierHeader]: event.vip ? 'vip' : 'standard' },
            },
          ]),
        );
        span.setAttribute('messaging.destination.partition.id', String(meta?.partition));
        stats.published++;
        if (event.vip) stats.vipPublished++;
      } catch (err) {
        // The producer retried until its delivery timeout: this event was not stored.
        stats.failed++;
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        logger.error('event not published', {
          eventId: event.eventId,
          error: (err as Error).message,
        });
      } finally {
        span.end();
      }
    },
  );
  inFlight.add(sending);
  void sending.finally(() => inFlight.delete(sending));
}

const tick = setInterval(() => {
  for (const event of flow.due(Date.now())) publish(event);
  stats.ordersPlaced = flow.ordersPlaced;
}, 50);
const statsTimer = setInterval(
  () => writeStats(service, { ...stats, inFlight: inFlight.size }),
  config.STATS_INTERVAL_MS,
);

onShutdownSignal(async () => {
  // Stop placing orders; finish the open ones (paid, shipped), then flush and leave.
  clearInterval(tick);
  for (const event of flow.drain(Date.now())) publish(event);
  await Promise.all(inFlight);
  await producer.disconnect();
  clearInterval(statsTimer);
  writeStats(service, { ...stats, ordersPlaced: flow.ordersPlaced, inFlight: 0 }, true);
  await telemetry.shutdown();
});
logger.info('order service started', {
  topic: config.ORDERS_TOPIC,
  ordersPerSecond: config.ORDERS_PER_SECOND,
  vipCustomers: config.VIP_CUSTOMERS.size,
  compression: config.COMPRESSION,
  schemaId:
    orders.value instanceof Object ? (orders.value as { schemaId?: number }).schemaId : undefined,
});
