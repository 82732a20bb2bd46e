import { eventIdHeader, headerText, silentLogger } from '@org/kafka-core';
import {
  enqueue,
  migrate,
  startOutboxRelay,
  type RelayProducer,
  type RunningOutboxRelay,
} from '@org/kafka-outbox';
import { createProducer } from '@org/kafka-producer';
import { createTopic } from '@org/kafka-testkit';
import pg from 'pg';
import { benchTable, type BenchTable } from './bench-table.js';
import type { LatencyTable } from './latency-table.js';
import { onSchedule } from './steady-schedule.js';
import { alternate, openWindow, type Contender, type RunResult } from './measure.js';

export interface OutboxBenchOptions {
  readonly brokers: readonly string[];
  /** An empty database on a durable server (fsync on): commit latency is part of the cost. */
  readonly databaseUrl: string;
  readonly rounds?: number;
  readonly log?: (line: string) => void;
}

export interface OutboxBenchResult {
  readonly throughput: BenchTable[];
  readonly latency: LatencyTable;
}

const size = 256;
const workers = 16;
const value = Buffer.alloc(size, 'x');
const keyOf = (i: number) => `order-${i % 2_000}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `count` jobs on `workers` concurrent loops, as request handlers would. */
async function concurrently(count: number, job: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

/** One transaction that enqueues one event, as an order service's would (its own rows aside). */
async function commitEvent(pool: pg.Pool, topic: string, i: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await enqueue(client, { topic, messages: [{ key: keyOf(i), value }] });
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

/**
 * The transactional outbox against the producer alone: throughput (rows committed, and
 * rows committed and relayed to Kafka) with 16 concurrent "request handlers", and latency
 * at a steady rate: send to acknowledgement for the producer, commit to acknowledgement
 * for the outbox (the extra time an event waits in PostgreSQL before Kafka has it).
 */
export async function benchOutbox(options: OutboxBenchOptions): Promise<OutboxBenchResult> {
  const brokers = [...options.brokers];
  const rounds = options.rounds ?? 4;
  const total = 5_000;
  const topic = `bench-outbox-${Date.now()}`;
  await createTopic(brokers, { topic, partitions: 12 });
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: workers + 2 });
  pool.on('error', () => undefined);
  const producer = createProducer({ brokers, clientId: 'bench-outbox', logger: silentLogger });
  await producer.connect();
  // Acknowledgement times by event id, for the latency table.
  const ackedAt = new Map<string, number>();
  const timedProducer: RelayProducer = {
    async send(record) {
      const result = await producer.send(record);
      const id = headerText(record.messages[0]?.headers, eventIdHeader);
      if (id !== undefined) ackedAt.set(id, performance.now());
      return result;
    },
  };
  let relay: RunningOutboxRelay | undefined;
  const startRelay = async () =>
    (relay = await startOutboxRelay({
      database: options.databaseUrl,
      producer: timedProducer,
      logger: silentLogger,
    }));
  const stopRelay = async () => {
    await relay?.stop();
    relay = undefined;
  };
  const emptyTable = async () => {
    await pool.query('DELETE FROM kafka_outbox');
  };
  const migrating = await pool.connect();
  try {
    await migrate(migrating);
  } finally {
    migrating.release();
  }
  try {
    const bytes = total * (size + keyOf(0).length);
    const producerAlone: Contender = {
      name: 'producer alone (send awaited per event)',
      run: async (): Promise<RunResult> => {
        const window = openWindow();
        await concurrently(total, (i) =>
          producer.send({ topic, messages: [{ key: keyOf(i), value }] }),
        );
        return { records: total, bytes, window: window.close() };
      },
    };
    const enqueueOnly: Contender = {
      name: 'outbox: enqueue and commit (relay stopped)',
      run: async (): Promise<RunResult> => {
        await stopRelay();
        await emptyTable();
        const window = openWindow();
        await concurrently(total, (i) => commitEvent(pool, topic, i));
        const closed = window.close();
        await emptyTable();
        return { records: total, bytes, window: closed };
      },
    };
    const endToEnd: Contender = {
      name: 'outbox: enqueue, commit and relay until acknowledged',
      run: async (): Promise<RunResult> => {
        await emptyTable();
        const running = relay ?? (await startRelay());
        const before = running.stats.relayed;
        const window = openWindow();
        await concurrently(total, (i) => commitEvent(pool, topic, i));
        while (running.stats.relayed - before < total) await sleep(2);
        return { records: total, bytes, window: window.close() };
      },
    };
    options.log?.('outbox: throughput rounds');
    const samples = await alternate([producerAlone, endToEnd, enqueueOnly], {
      warmup: 1,
      rounds,
      settleMs: 1_000,
    });
    const throughput = [
      benchTable(
        `Outbox on PostgreSQL, ${size} B values`,
        `${total.toLocaleString('en-US')} keyed events per round from ${workers} concurrent loops: the producer alone awaiting each send, or one PostgreSQL transaction per event (BEGIN, enqueue, COMMIT; fsync on) with the relay stopped, or with the relay running in the same process until every row is acknowledged and deleted; alternating rounds in a balanced order after one warm-up, 1 s of quiet after each run.`,
        'producer alone (send awaited per event)',
        samples,
      ),
    ];

    options.log?.('outbox: latency at a steady rate');
    const rate = 200;
    const seconds = 10;
    const count = rate * seconds;
    const sendLatency: number[] = [];
    const transaction: number[] = [];
    const commitToAck: number[] = [];
    const behind = { producer: 0, outbox: 0 };
    const steady = async (what: 'producer' | 'outbox', event: (i: number) => Promise<void>) => {
      behind[what] = (await onSchedule(count, rate, event)).late;
    };
    await steady('producer', async (i) => {
      const t0 = performance.now();
      await producer.send({ topic, messages: [{ key: keyOf(i), value }] });
      sendLatency.push(performance.now() - t0);
    });
    await emptyTable();
    const running = relay ?? (await startRelay());
    const committedAt = new Map<string, number>();
    const before = running.stats.relayed;
    await steady('outbox', async (i) => {
      const client = await pool.connect();
      try {
        const t0 = performance.now();
        await client.query('BEGIN');
        const { eventIds } = await enqueue(client, {
          topic,
          messages: [{ key: keyOf(i), value }],
        });
        await client.query('COMMIT');
        const t1 = performance.now();
        transaction.push(t1 - t0);
        committedAt.set(eventIds[0]!, t1);
      } finally {
        client.release();
      }
    });
    while (running.stats.relayed - before < count) await sleep(5);
    for (const [id, at] of committedAt) {
      const acked = ackedAt.get(id);
      if (acked !== undefined) commitToAck.push(acked - at);
    }
    const note = (n: number) => (n > 0 ? `${n} events issued over 1 s late: fell behind` : '');
    const latency: LatencyTable = {
      title: `Outbox latency at ${rate} events/s, ${size} B values`,
      setting: `${count.toLocaleString('en-US')} keyed events issued on a fixed schedule (${rate}/s for ${seconds} s), one after another's schedule, not after another's answer. The producer alone: from send() to its acknowledgement. The outbox: the transaction (BEGIN, enqueue, COMMIT with fsync), then from COMMIT returning to Kafka acknowledging the relay's send, the relay running in the same process.`,
      rows: [
        {
          name: 'producer alone: send to acknowledgement',
          latenciesMs: sendLatency,
          note: note(behind.producer),
        },
        {
          name: 'outbox: the transaction (BEGIN to COMMIT)',
          latenciesMs: transaction,
          note: note(behind.outbox),
        },
        {
          name: 'outbox: COMMIT to acknowledgement (the extra wait)',
          latenciesMs: commitToAck,
          note:
            commitToAck.length < count
              ? `${count - commitToAck.length} without a timed acknowledgement`
              : '',
        },
      ],
    };
    return { throughput, latency };
  } finally {
    await stopRelay();
    await producer.disconnect();
    await pool.end();
  }
}
