import { readBacklog, type Backlog } from './backlog.js';
import { checkSchema } from './migrate.js';
import { countRelays, leasedShards } from './relay-membership.js';
import type { SqlClient } from './sql-client.js';
import { outboxNames, outboxShards } from './table-layout.js';

/** The outbox as an operator sees it: what waits, and who relays it. */
export interface OutboxStatus extends Backlog {
  readonly table: string;
  /** Relays running now. */
  readonly relays: number;
  /** Shards some relay holds; below `shards` while relays start or none runs. */
  readonly leasedShards: number;
  readonly shards: number;
}

/** Reads the outbox's status; throws OUTBOX_SCHEMA_* when the table is not there or too new. */
export async function readOutboxStatus(client: SqlClient, table?: string): Promise<OutboxStatus> {
  const names = outboxNames(table);
  await checkSchema(client, names.table);
  const [backlog, relays, leased] = [
    await readBacklog(client, names.table),
    await countRelays(client, names),
    await leasedShards(client, names),
  ];
  return { table: names.table, ...backlog, relays, leasedShards: leased, shards: outboxShards };
}
