import { metrics } from '@opentelemetry/api';
import type { SqlClient } from './sql-client.js';
import { outboxNames } from './table-layout.js';

/** Rows committed and not yet acknowledged by Kafka. */
export interface Backlog {
  readonly rows: number;
  /** Seconds since the oldest waiting row was written; 0 when none waits. */
  readonly oldestAgeSeconds: number;
}

/** Reads the backlog of the outbox table (one count over the table: cheap while it is small). */
export async function readBacklog(client: SqlClient, table?: string): Promise<Backlog> {
  const names = outboxNames(table);
  const { rows } = await client.query<{ rows: number; age: number | null }>(
    `SELECT count(*)::int AS rows,
            extract(epoch FROM clock_timestamp() - min(created_at))::float8 AS age
       FROM ${names.table}`,
  );
  const row = rows[0];
  return { rows: row?.rows ?? 0, oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
}

const scope = '@org/kafka-outbox';

/**
 * Registers the backlog gauges, read from `latest` at each collection, and returns a
 * function that removes them. The semantic conventions have no outbox metric; the names
 * sit under `outbox.` with the table as an attribute.
 */
export function backlogGauges(table: string, latest: () => Backlog | undefined): () => void {
  const meter = metrics.getMeter(scope);
  const rows = meter.createObservableGauge('outbox.backlog.rows', {
    description: 'Outbox rows committed and not yet acknowledged by Kafka',
    unit: '{row}',
  });
  const age = meter.createObservableGauge('outbox.backlog.oldest_age', {
    description: 'Seconds since the oldest row still waiting was written',
    unit: 's',
  });
  const attributes = { 'outbox.table': table };
  const callback = (result: {
    observe(gauge: typeof rows, value: number, attributes: Record<string, string>): void;
  }) => {
    const backlog = latest();
    if (!backlog) return;
    result.observe(rows, backlog.rows, attributes);
    result.observe(age, backlog.oldestAgeSeconds, attributes);
  };
  meter.addBatchObservableCallback(callback, [rows, age]);
  return () => meter.removeBatchObservableCallback(callback, [rows, age]);
}
