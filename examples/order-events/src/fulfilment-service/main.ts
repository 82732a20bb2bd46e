// The fulfilment service: consumes the orders topic and fulfils each event, at least once.
// Warehouse timeouts are retried (in place, then through retry topics); events that can
// never be fulfilled go to the dead-letter topic; an order's events stay in order meanwhile.
import { createWriteStream } from 'node:fs';
import { onShutdownSignal } from '@org/kafka-core';
import { createConsumer, deduplicateByEventId } from '@org/kafka-consumer';
import { orderEventsTopic } from '../order-event.js';
import { writeStats } from '../service-env.js';
import { startServiceRuntime } from '../telemetry.js';
import { fulfilmentServiceConfig } from './config.js';
import { fulfil, warehouseTrouble } from './warehouse.js';

const service = 'fulfilment-service';
const config = fulfilmentServiceConfig();
const { telemetry, logger, tracer } = startServiceRuntime(service, config);
const ledger =
  config.LEDGER_FILE === undefined
    ? undefined
    : createWriteStream(config.LEDGER_FILE, { flags: 'a' });
const trouble = {
  transient: config.FAIL_TRANSIENT_PERCENT,
  permanent: config.FAIL_PERMANENT_PERCENT,
};

// Readers never register: the schema is the one the order service writes.
const orders = await orderEventsTopic(config.ORDERS_TOPIC).bind({
  registry: { url: config.SCHEMA_REGISTRY_URL },
});
const stats = {
  processed: 0,
  failedAttempts: 0,
  retriesScheduled: 0,
  deadLettered: 0,
  duplicatesSkipped: 0,
  lag: 0 as number | null,
};

const consumer = createConsumer({
  brokers: config.KAFKA_BROKERS,
  clientId: config.CLIENT_ID,
  groupId: config.GROUP_ID,
  topics: [config.ORDERS_TOPIC],
  logger,
  // While an order's event waits in a retry topic, its later events wait too.
  keyOrdering: 'preserve',
  retry: {
    attempts: config.RETRY_ATTEMPTS,
    initialDelayMs: 100,
    maxDelayMs: 1_000,
    retryTopicDelaysMs: config.RETRY_TOPIC_DELAYS_MS,
  },
  lag: { intervalMs: config.STATS_INTERVAL_MS, window: 10, allowedLag: 0 },
  // Copies the outbox relay re-sent after a crash carry the first copy's x-event-id: skipped.
  eachMessage: deduplicateByEventId(
    orders.handler((record) =>
      tracer.startActiveSpan(
        `fulfil ${record.value.type}`,
        {
          attributes: {
            'order.id': record.value.orderId,
            'order.event_id': record.value.eventId,
            'messaging.kafka.attempt': record.attempt,
          },
        },
        (span) => {
          try {
            const outcome = fulfil(
              record.value,
              record.attempt,
              warehouseTrouble(record.value.eventId, trouble),
            );
            span.setAttribute('fulfilment.outcome', outcome);
            stats.processed++;
            ledger?.write(
              `${JSON.stringify({ eventId: record.value.eventId, orderId: record.key, type: record.value.type, partition: record.partition, offset: record.offset, attempt: record.attempt })}\n`,
            );
            return Promise.resolve();
          } catch (err) {
            stats.failedAttempts++;
            span.recordException(err as Error);
            throw err;
          } finally {
            span.end();
          }
        },
      ),
    ),
    { onDuplicate: () => stats.duplicatesSkipped++ },
  ),
});
consumer.on('record', (outcome) => {
  if (outcome.kind === 'retry-scheduled') stats.retriesScheduled++;
  if (outcome.kind === 'dead-lettered') {
    stats.deadLettered++;
    logger.warn('event dead-lettered', {
      topic: outcome.topic,
      reason: outcome.reason,
      error: (outcome.error as Error).message,
    });
  }
});
await consumer.run();

const statsTimer = setInterval(() => {
  stats.lag = consumer.lag()?.totalLag ?? null;
  writeStats(service, stats);
}, config.STATS_INTERVAL_MS);

onShutdownSignal(async () => {
  // Finish the records in hand, commit, leave the group; then close the ledger and flush spans.
  await consumer.stop();
  clearInterval(statsTimer);
  if (ledger !== undefined) await new Promise<void>((resolve) => ledger.end(resolve));
  writeStats(service, stats, true);
  await telemetry.shutdown();
});
logger.info('fulfilment service started', { topic: config.ORDERS_TOPIC, groupId: config.GROUP_ID });
