import pg from 'pg';
import { readBacklog } from './backlog.js';
import { checkSchema } from './migrate.js';
import { countRelays } from './relay-membership.js';
import type { OutboxRow } from './outbox-row.js';
import type { RelaySession } from './relay-session.js';
import type { OutboxNames } from './table-layout.js';

interface RowRecord extends Record<string, unknown> {
  row_id: string;
  event_id: string;
  shard: number;
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, string][];
  partition: number | null;
  trace_context: Record<string, string> | null;
  created_at: Date;
}

/**
 * Opens a relay's PostgreSQL session on a connection of its own (advisory locks belong to a
 * session, so the leases and the reads and deletes they guard share it).
 */
export async function openPgRelaySession(
  config: pg.ClientConfig,
  names: OutboxNames,
): Promise<RelaySession> {
  const client = new pg.Client({ ...config, application_name: 'kafka-outbox-relay' });
  let notified: (() => void) | undefined;
  let pending = false;
  // A lost connection surfaces on the next query; without a listener it would crash Node.
  client.on('error', () => undefined);
  client.on('notification', () => {
    pending = true;
    notified?.();
  });
  await client.connect();
  try {
    await checkSchema(client, names.table);
    await client.query(`LISTEN ${names.channel}`);
    await client.query('SELECT pg_advisory_lock_shared($1, $2)', [
      names.lockSpace,
      names.membershipLock,
    ]);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }

  return {
    // At least 1: this session holds the membership lock itself.
    relayCount: async () => Math.max(1, await countRelays(client, names)),
    async tryLease(shard) {
      const { rows } = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1, $2) AS ok',
        [names.lockSpace, shard],
      );
      return rows[0]?.ok === true;
    },
    async release(shard) {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [names.lockSpace, shard]);
    },
    async fetch(shards, limit) {
      const { rows } = await client.query<RowRecord>(
        // ORDER BY names the table's column: an output column called id (the text form)
        // would sort "10" before "9".
        `SELECT id::text AS row_id, event_id::text AS event_id, shard, topic, key, value, headers, partition, trace_context, created_at
           FROM ${names.table} WHERE shard = ANY($1::smallint[]) ORDER BY ${names.table}.id LIMIT $2`,
        [shards, limit],
      );
      return rows.map((r): OutboxRow => ({
        id: r.row_id,
        eventId: r.event_id,
        shard: r.shard,
        topic: r.topic,
        key: r.key,
        value: r.value,
        headers: r.headers,
        partition: r.partition,
        traceContext: r.trace_context,
        createdAt: r.created_at,
      }));
    },
    async remove(ids) {
      await client.query(`DELETE FROM ${names.table} WHERE id = ANY($1::bigint[])`, [ids]);
    },
    waitForCommit(ms, signal) {
      if (pending || signal.aborted) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          notified = undefined;
          pending = false;
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
        notified = done;
      });
    },
    backlog: () => readBacklog(client, names.table),
    async close() {
      await client.end();
    },
  };
}
