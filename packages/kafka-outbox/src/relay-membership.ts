import type { SqlClient } from './sql-client.js';
import { outboxShards, type OutboxNames } from './table-layout.js';

/** Relays running against the table now: sessions holding the shared membership lock. */
export async function countRelays(client: SqlClient, names: OutboxNames): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND mode = 'ShareLock'
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND classid = ($1::int)::oid AND objid = ($2::int)::oid AND objsubid = 2`,
    [names.lockSpace, names.membershipLock],
  );
  return rows[0]?.n ?? 0;
}

/** Shards leased by some relay now (exclusive advisory locks in the table's lock space). */
export async function leasedShards(client: SqlClient, names: OutboxNames): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND mode = 'ExclusiveLock'
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND classid = ($1::int)::oid AND objsubid = 2 AND objid::bigint < $2`,
    [names.lockSpace, outboxShards],
  );
  return rows[0]?.n ?? 0;
}
