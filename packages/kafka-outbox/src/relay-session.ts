import type { Backlog } from './backlog.js';
import type { OutboxRow } from './outbox-row.js';

/**
 * One relay's database session: its leases live and die with it, so a relay that crashes
 * or loses its connection gives every shard back at once. The PostgreSQL version is
 * `pg-relay-session.ts`; unit tests use a fake.
 */
export interface RelaySession {
  /** Relays running now against this table (those holding the membership lock). */
  relayCount(): Promise<number>;
  /** Takes the shard's lease if no other relay holds it. */
  tryLease(shard: number): Promise<boolean>;
  release(shard: number): Promise<void>;
  /** Committed rows of `shards`, lowest id first. */
  fetch(shards: readonly number[], limit: number): Promise<OutboxRow[]>;
  /** Deletes rows Kafka acknowledged. */
  remove(ids: readonly string[]): Promise<void>;
  /** Resolves on a commit notification, after `ms`, or when `signal` aborts. */
  waitForCommit(ms: number, signal: AbortSignal): Promise<void>;
  /** The whole table's backlog, for the gauges. */
  backlog(): Promise<Backlog>;
  /** Ends the session; its leases and membership go with it. */
  close(): Promise<void>;
}

/** Opens a session: connects, checks the schema, listens, joins the relays. */
export type OpenRelaySession = () => Promise<RelaySession>;

/** Where the relay sends a row; resolves once Kafka acknowledged it. */
export type SendRow = (row: OutboxRow) => Promise<unknown>;
