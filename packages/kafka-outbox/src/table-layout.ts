import { murmur2Key, toPositive } from '@org/kafka-producer';
import { ConfigError } from '@org/kafka-core';

/**
 * The number of shards rows are spread over by key. Each shard is relayed by one relay at
 * a time, which is what keeps a key's rows in order while several relays run. Fixed by the
 * schema (a CHECK constraint): changing it is a migration, never an option.
 */
export const outboxShards = 32;

/** Default table name; `migrate`, `enqueue` and the relay take `table` to use another. */
export const defaultOutboxTable = 'kafka_outbox';

// A plain lower-case identifier needs no quoting, so the name reads the same in SQL, in
// pg_notify channels and in a DBA's psql; the suffixes below keep it under 63 bytes.
const tableName = /^[a-z_][a-z0-9_]{0,39}$/;

/** Every name the outbox derives from its table name, in one place. */
export interface OutboxNames {
  readonly table: string;
  /** The table that records applied migrations. */
  readonly migrations: string;
  /** The LISTEN/NOTIFY channel an enqueue notifies at commit. */
  readonly channel: string;
  /** First key of the relays' two-int advisory locks (shard leases, membership, migrate). */
  readonly lockSpace: number;
  /**
   * First key of the transaction locks `enqueue` takes per record key. Apart from
   * `lockSpace`: a key whose hash equals a shard number must not wait for that shard's lease.
   */
  readonly keyLockSpace: number;
  /** Second key of the shared lock every running relay holds: the count of relays. */
  readonly membershipLock: number;
}

/** The names for `table`; throws a ConfigError naming `table` when it is not a plain identifier. */
export function outboxNames(table: string = defaultOutboxTable): OutboxNames {
  if (typeof table !== 'string' || !tableName.test(table)) {
    throw new ConfigError('outbox', [
      {
        path: 'table',
        message: `"${String(table)}" is not a plain lower-case SQL identifier (a-z, 0-9, _; at most 40 characters, not starting with a digit)`,
      },
    ]);
  }
  return {
    table,
    migrations: `${table}_migrations`,
    channel: `${table}_committed`,
    // The table name picks the lock space, so two outbox tables never share a lease.
    lockSpace: murmur2Key(`@org/kafka-outbox:${table}`) | 0,
    keyLockSpace: murmur2Key(`@org/kafka-outbox:${table}:keys`) | 0,
    membershipLock: -1,
  };
}

/** The shard of a key: its murmur2 hash (the Java partitioner's) modulo `outboxShards`. */
export function shardOfKey(key: string | Buffer): number {
  return toPositive(murmur2Key(key)) % outboxShards;
}
