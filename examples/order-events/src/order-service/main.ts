// The order service: places orders and publishes their events (placed, paid, shipped) to the
// orders topic, keyed by order id, with VIP customers' events on the VIP share of partitions.
// With DATABASE_URL, each event is committed with its order in PostgreSQL and published
// through the transactional outbox, so a crash between the database and Kafka loses nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanStatusCode } from '@opentelemetry/api';
import { onShutdownSignal } from '@org/kafka-core';
import { startOutboxRelay, type RunningOutboxRelay } from '@org/kafka-outbox';
import { createProducer, vipPriorityPartitioner } from '@org/kafka-producer';
import { customerTierHeader, orderEventsTopic, type OrderEvent } from '../order-event.js';
import { writeStats } from '../service-env.js';
import { startServiceRuntime } from '../telemetry.js';
import { orderServiceConfig } from './config.js';
import { OrderFlow } from './order-flow.js';
import { OrderStore } from './order-store.js';

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

const store = config.DATABASE_URL ? new OrderStore(config.DATABASE_URL) : undefined;
let relay: RunningOutboxRelay | undefined;
if (config.DATABASE_URL) {
  relay = await startOutboxRelay({ database: config.DATABASE_URL, producer, logger });
}
const flow = new OrderFlow({
  ordersPerSecond: config.ORDERS_PER_SECOND,
  customers: Array.from(
    { length: config.CUSTOMERS },
    (_, i) => `customer-${String(i).padStart(4, '0')}`,
  ),
  vipCustomers: config.VIP_CUSTOMERS,
  stepDelayMs: config.STEP_DELAY_MS,
  firstOrderNumber: (await store?.nextOrderNumber()) ?? 0,
});
const resumed = (await store?.openOrders()) ?? [];
flow.resume(resumed, Date.now());
// Direct: published counts acknowledged sends. Outbox: committed counts transactions, and
// published the rows this service's relay had acknowledged.
const stats = {
  published: 0,
  vipPublished: 0,
  failed: 0,
  inFlight: 0,
  ordersPlaced: 0,
  committed: 0,
  resumedOrders: resumed.length,
};
const inFlight = new Set<Promise<void>>();

/** Publishes one event, as a request handler would: its own span, its own send. */
// An order's events are published one after another: with the outbox each is a transaction
// of its own, and two of one order at once (a graceful stop drains paid and shipped
// together) could commit in either order. Sends straight to Kafka keep call order anyway.
const lastOfOrder = new Map<string, Promise<void>>();

function publish(event: OrderEvent): void {
  const previous = lastOfOrder.get(event.orderId) ?? Promise.resolve();
  const sending = previous.then(() => publishNow(event));
  lastOfOrder.set(event.orderId, sending);
  inFlight.add(sending);
  void sending.finally(() => {
    inFlight.delete(sending);
    if (lastOfOrder.get(event.orderId) === sending) lastOfOrder.delete(event.orderId);
  });
}

function publishNow(event: OrderEvent): Promise<void> {
  return tracer.startActiveSpan(
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
        const record = orders.record([
          {
            key: event.orderId,
            value: event,
            headers: { [customerTierHeader]: event.vip ? 'vip' : 'standard' },
          },
        ]);
        if (store) {
          await store.commit(event, record);
          stats.committed++;
          return;
        }
        const [meta] = await producer.send(record);
        span.setAttribute('messaging.destination.partition.id', String(meta?.partition));
        stats.published++;
        if (event.vip) stats.vipPublished++;
      } catch (err) {
        // Direct: the producer retried until its delivery timeout. Outbox: the transaction
        // failed and rolled back. Either way this event was not stored.
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
}

const tick = setInterval(() => {
  for (const event of flow.due(Date.now())) publish(event);
  stats.ordersPlaced = flow.ordersPlaced;
}, 50);
const current = () => ({
  ...stats,
  inFlight: inFlight.size,
  ...(relay ? { published: relay.stats.relayed, backlog: relay.backlog?.rows ?? null } : {}),
});
const statsTimer = setInterval(() => writeStats(service, current()), config.STATS_INTERVAL_MS);

/** Waits (up to a minute) until the relay has sent every committed row. */
async function outboxDrained(orderStore: OrderStore): Promise<void> {
  for (let i = 0; i < 600 && (await orderStore.outboxBacklog()) > 0; i++) await sleep(100);
}

onShutdownSignal(async () => {
  // Stop placing orders; finish the open ones (paid, shipped), then flush and leave.
  clearInterval(tick);
  for (const event of flow.drain(Date.now())) publish(event);
  await Promise.all(inFlight);
  if (store) await outboxDrained(store);
  await relay?.stop();
  const backlog = store ? { backlog: await store.outboxBacklog() } : {};
  await store?.close();
  await producer.disconnect();
  clearInterval(statsTimer);
  writeStats(
    service,
    { ...current(), ...backlog, ordersPlaced: flow.ordersPlaced, inFlight: 0 },
    true,
  );
  await telemetry.shutdown();
});
logger.info('order service started', {
  topic: config.ORDERS_TOPIC,
  ordersPerSecond: config.ORDERS_PER_SECOND,
  vipCustomers: config.VIP_CUSTOMERS.size,
  compression: config.COMPRESSION,
  outbox: store !== undefined,
  resumedOrders: resumed.length,
  schemaId:
    orders.value instanceof Object ? (orders.value as { schemaId?: number }).schemaId : undefined,
});
