import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger, KafkaSdkError } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { enqueue, migrate, readBacklog, startOutboxRelay } from '@org/kafka-outbox';
import { createProducer, type SafeProducer } from '@org/kafka-producer';
import { consumeN, createTopic, startPostgres, type StartedPostgres } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import pg from 'pg';
import { useInMemoryOtel } from '../otel-in-memory.js';

// enqueue() inside real PostgreSQL transactions, and one relay in this process.
describe('the outbox in one process', () => {
  const kafka = sharedKafka();
  const otel = useInMemoryOtel();
  let postgres: StartedPostgres;
  let db: string;
  let producer: SafeProducer;
  const clients: pg.Client[] = [];

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    postgres = await startPostgres();
    db = await postgres.createDatabase('outbox_enqueue');
    await migrate(await connect());
    producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'outbox-enqueue',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await postgres?.stop();
  });

  it('a rolled-back transaction leaves nothing in the outbox; a committed one its rows', async () => {
    const client = await connect();
    await client.query('BEGIN');
    await enqueue(client, { topic: 'orders', messages: [{ key: 'o-1', value: 'placed' }] });
    await client.query('ROLLBACK');
    expect((await readBacklog(client)).rows).toBe(0);
    await client.query('BEGIN');
    const { eventIds } = await enqueue(client, {
      topic: 'orders',
      messages: [
        { key: 'o-2', value: 'placed' },
        { key: 'o-3', value: 'placed' },
      ],
    });
    await client.query('COMMIT');
    expect(eventIds).toHaveLength(2);
    expect((await readBacklog(client)).rows).toBe(2);
    await client.query('DELETE FROM kafka_outbox');
  });

  it('two transactions that enqueue the same key take turns until the first commits', async () => {
    const [first, second, third] = [await connect(), await connect(), await connect()];
    await first.query('BEGIN');
    await enqueue(first, { topic: 'orders', messages: [{ key: 'customer-1', value: '1' }] });
    await second.query('BEGIN');
    let secondDone = false;
    const secondEnqueue = enqueue(second, {
      topic: 'orders',
      messages: [{ key: 'customer-1', value: '2' }],
    }).then(() => (secondDone = true));
    // A different key does not wait.
    await third.query('BEGIN');
    await enqueue(third, { topic: 'orders', messages: [{ key: 'customer-2', value: 'x' }] });
    await third.query('COMMIT');
    // The second is blocked on the first's lock, as pg_locks shows (not a timing guess).
    const { rows } = await third.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
    );
    expect(rows[0]?.waiting).toBe(1);
    expect(secondDone).toBe(false);
    await first.query('COMMIT');
    await secondEnqueue;
    await second.query('COMMIT');
    const { rows: order } = await third.query<{ value: Buffer }>(
      `SELECT value FROM kafka_outbox WHERE key = $1 ORDER BY id`,
      [Buffer.from('customer-1')],
    );
    expect(order.map((r) => r.value.toString())).toEqual(['1', '2']);
    await third.query('DELETE FROM kafka_outbox');
  });

  it('refuses a bad record before writing anything, naming the field', async () => {
    const client = await connect();
    await client.query('BEGIN');
    const refusal = await enqueue(client, {
      topic: 'orders',
      messages: [
        { key: 'a', value: 'ok' },
        { key: 'b', value: 42 as unknown as string },
      ],
    }).catch((err: unknown) => err);
    await client.query('COMMIT');
    expect(KafkaSdkError.is(refusal) && refusal.code).toBe('OUTBOX_RECORD_INVALID');
    expect((refusal as Error).message).toContain('messages[1].value');
    expect((await readBacklog(client)).rows).toBe(0);
  });

  it('one trace runs from the enqueueing transaction through the relay send to the consumer', async () => {
    const topic = `outbox-traced-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 3 });
    const client = await connect();
    const tracer = trace.getTracer('order-service');
    await tracer.startActiveSpan('place order', async (span) => {
      await client.query('BEGIN');
      await enqueue(client, { topic, messages: [{ key: 'o-9', value: 'placed' }] });
      await client.query('COMMIT');
      span.end();
    });
    const relay = await startOutboxRelay({ database: db, producer, pollIntervalMs: 100 });
    try {
      const [record] = await consumeN(kafka.bootstrapServers, topic, 1);
      expect(record?.headers['x-event-id']).toBeDefined();
    } finally {
      await relay.stop();
    }
    let handled = false;
    const consumer = createConsumer({
      brokers: kafka.bootstrapServers,
      groupId: `${topic}-group`,
      topics: [topic],
      logger: jsonLogger('error'),
      eachMessage: () => {
        handled = true;
        return Promise.resolve();
      },
    });
    await consumer.run();
    while (!handled) await sleep(50);
    await consumer.stop();

    const spans = otel.current.spans.getFinishedSpans();
    const place = spans.find((s) => s.name === 'place order')!;
    const send = spans.find((s) => s.name === `send ${topic}`)!;
    const processed = spans.find((s) => s.name === `process ${topic}`)!;
    expect(send.spanContext().traceId).toBe(place.spanContext().traceId);
    expect(send.parentSpanContext?.spanId).toBe(place.spanContext().spanId);
    expect(processed.spanContext().traceId).toBe(place.spanContext().traceId);
    expect(processed.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
  });

  it('reports the backlog as gauges while it relays', async () => {
    const client = await connect();
    // A producer whose acknowledgement is held back keeps the row in the table meanwhile.
    let acknowledge!: () => void;
    const held = new Promise<void>((resolve) => (acknowledge = resolve));
    const relay = await startOutboxRelay({
      database: db,
      producer: { send: () => held },
      rebalanceIntervalMs: 50,
      pollIntervalMs: 50,
    });
    try {
      await client.query('BEGIN');
      await enqueue(client, { topic: 'orders', messages: [{ key: 'k', value: 'v' }] });
      await client.query('COMMIT');
      while ((relay.backlog?.rows ?? 0) < 1) await sleep(50);
      const metrics = await otel.current.collectMetrics();
      const rows = metrics.find((m) => m.descriptor.name === 'outbox.backlog.rows');
      const age = metrics.find((m) => m.descriptor.name === 'outbox.backlog.oldest_age');
      expect(rows?.dataPoints[0]?.value).toBe(1);
      expect(rows?.dataPoints[0]?.attributes).toEqual({ 'outbox.table': 'kafka_outbox' });
      expect(age?.dataPoints[0]?.value).toBeGreaterThanOrEqual(0);
    } finally {
      acknowledge();
      await relay.stop();
    }
    expect((await readBacklog(client)).rows).toBe(0);
    expect(relay.stats.relayed).toBe(1);
  });
});
