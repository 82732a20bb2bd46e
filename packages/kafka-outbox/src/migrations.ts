import type { OutboxNames } from './table-layout.js';
import { outboxShards } from './table-layout.js';

/** One step of the schema; applied once, in order, inside one transaction. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  sql(names: OutboxNames): string;
}

/**
 * The outbox schema, oldest first. Append a migration; never edit one that has shipped
 * (databases that applied it would not see the change).
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'outbox table: one row per record to relay, deleted once Kafka acknowledged it',
    sql: ({ table }) => `
CREATE TABLE ${table} (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id      uuid        NOT NULL UNIQUE,
  shard         smallint    NOT NULL CHECK (shard >= 0 AND shard < ${outboxShards}),
  topic         text        NOT NULL CHECK (length(topic) BETWEEN 1 AND 249),
  key           bytea,
  value         bytea,
  headers       jsonb       NOT NULL DEFAULT '[]'::jsonb,
  partition     integer     CHECK (partition >= 0),
  trace_context jsonb,
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- The relay reads its shards' rows in id order.
CREATE INDEX ${table}_shard_id ON ${table} (shard, id);
COMMENT ON TABLE ${table} IS 'Transactional outbox of @org/kafka-outbox: rows are Kafka records committed with the business data, relayed in id order per shard and deleted after acknowledgement';
`,
  },
];

/** The latest schema version this package knows. */
export const latestSchemaVersion = migrations[migrations.length - 1]?.version ?? 0;
