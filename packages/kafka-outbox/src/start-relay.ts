import { context, metrics, ROOT_CONTEXT } from '@opentelemetry/api';
import { extractTraceContext, silentLogger, type Logger } from '@org/kafka-core';
import type pg from 'pg';
import { backlogGauges, type Backlog } from './backlog.js';
import { messageOfRow } from './outbox-row.js';
import { openPgRelaySession } from './pg-relay-session.js';
import { OutboxRelay, type RelayStats } from './relay.js';
import { resolveRelayTuning, type RelayTuning } from './relay-options.js';
import { outboxNames } from './table-layout.js';

/** What the relay needs of the SDK producer (a `SafeProducer` from @org/kafka-producer). */
export interface RelayProducer {
  send(record: { topic: string; messages: ReturnType<typeof messageOfRow>[] }): Promise<unknown>;
}

export interface OutboxRelayOptions extends RelayTuning {
  /** The database: a connection string or node-postgres client options. */
  readonly database: string | pg.ClientConfig;
  /** The connected producer that sends the rows; the relay never disconnects it. */
  readonly producer: RelayProducer;
  /** Default `kafka_outbox`. */
  readonly table?: string;
  readonly logger?: Logger;
}

/** A running relay. */
export interface RunningOutboxRelay {
  readonly stats: Readonly<RelayStats>;
  /** As last read (about once a second). */
  readonly backlog: Backlog | undefined;
  /** Settles when the relay ends: resolves after stop(), rejects on a fatal error. */
  readonly done: Promise<void>;
  /** Finishes the turn in hand, deletes what Kafka acknowledged, gives back its shards. */
  stop(): Promise<void>;
}

const scope = '@org/kafka-outbox';

/**
 * Starts a relay that publishes the outbox's committed rows through `producer`, in commit
 * order per key, deleting each row once Kafka acknowledged it. Several relays may run at
 * once; they split the table's shards between them. Rejects when the database cannot be
 * reached or the table is missing or newer than this package (OUTBOX_SCHEMA_*).
 */
export async function startOutboxRelay(options: OutboxRelayOptions): Promise<RunningOutboxRelay> {
  const { database, producer, table, logger = silentLogger, ...tuningInput } = options;
  const names = outboxNames(table);
  const tuning = resolveRelayTuning(tuningInput, logger);
  const config: pg.ClientConfig =
    typeof database === 'string' ? { connectionString: database } : database;
  const counter = metrics.getMeter(scope).createCounter('outbox.relay.rows', {
    description:
      'Outbox rows sent by the relay, by outcome (acknowledged and deleted, or failed and kept)',
    unit: '{row}',
  });
  const attributes = { 'outbox.table': names.table };
  const relay = new OutboxRelay(
    () => openPgRelaySession(config, names),
    (row) =>
      // The send continues the trace of the transaction that enqueued the row.
      context.with(extractTraceContext(row.traceContext ?? undefined, ROOT_CONTEXT), () =>
        producer.send({ topic: row.topic, messages: [messageOfRow(row)] }),
      ),
    tuning,
    {
      batch: ({ relayed, failed }) => {
        if (relayed > 0) counter.add(relayed, { ...attributes, 'outbox.outcome': 'acknowledged' });
        if (failed > 0) counter.add(failed, { ...attributes, 'outbox.outcome': 'failed' });
      },
      leases: (held) =>
        logger.info('outbox relay: shard leases', { table: names.table, shards: held }),
    },
  );
  await relay.start();
  const removeGauges = backlogGauges(names.table, () => relay.backlog);
  let stopping: Promise<void> | undefined;
  return {
    stats: relay.stats,
    get backlog() {
      return relay.backlog;
    },
    done: relay.done,
    stop: () =>
      (stopping ??= relay.stop().finally(() => {
        removeGauges();
      })),
  };
}
