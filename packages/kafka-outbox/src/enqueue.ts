import { injectTraceContext, type RecordHeaders } from '@org/kafka-core';
import { murmur2Key } from '@org/kafka-producer';
import { newRows, type OutboxRecord } from './outbox-row.js';
import type { SqlClient } from './sql-client.js';
import { outboxNames } from './table-layout.js';

/** What `enqueue` wrote: one event id per message, in the record's order. */
export interface EnqueueResult {
  readonly eventIds: readonly string[];
}

function activeTraceContext(): Record<string, string> | null {
  const carrier: RecordHeaders = {};
  injectTraceContext(carrier);
  const entries = Object.entries(carrier).filter(
    (e): e is [string, string] => typeof e[1] === 'string',
  );
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

/**
 * Writes `record` to the outbox with `client`, inside the caller's transaction: the rows
 * become visible to the relay when, and only when, that transaction commits. Two
 * transactions that enqueue the same key take turns from this call to their commit, so a
 * key's rows are numbered in commit order (what the relay sends them in). Throws
 * OUTBOX_RECORD_INVALID naming the field at fault before anything is written.
 */
export async function enqueue(
  client: SqlClient,
  record: OutboxRecord,
  options: { readonly table?: string } = {},
): Promise<EnqueueResult> {
  const names = outboxNames(options.table);
  const rows = newRows(record, activeTraceContext());
  const keyLocks = [
    ...new Set(rows.filter((r) => r.key !== null).map((r) => murmur2Key(r.key as Buffer) | 0)),
  ];
  // Sorted, so two transactions locking the same keys cannot deadlock; the notification is
  // delivered at commit (and not at all on rollback).
  await client.query(
    `SELECT pg_notify($3, ''),
            (SELECT count(pg_advisory_xact_lock($1, k))
               FROM (SELECT DISTINCT k FROM unnest($2::int[]) AS k ORDER BY k) AS sorted)`,
    [names.keyLockSpace, keyLocks, names.channel],
  );
  await client.query(
    `INSERT INTO ${names.table} (event_id, shard, topic, key, value, headers, partition, trace_context)
     SELECT e, s, t, k, v, h::jsonb, p, c::jsonb
       FROM unnest($1::uuid[], $2::smallint[], $3::text[], $4::bytea[], $5::bytea[], $6::text[], $7::int[], $8::text[])
         AS r(e, s, t, k, v, h, p, c)`,
    [
      rows.map((r) => r.eventId),
      rows.map((r) => r.shard),
      rows.map((r) => r.topic),
      rows.map((r) => r.key),
      rows.map((r) => r.value),
      rows.map((r) => JSON.stringify(r.headers)),
      rows.map((r) => r.partition),
      rows.map((r) => (r.traceContext ? JSON.stringify(r.traceContext) : null)),
    ],
  );
  return { eventIds: rows.map((r) => r.eventId) };
}
