import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaSdkError } from '@org/kafka-core';
import type { Backlog } from './backlog.js';
import type { OutboxRow } from './outbox-row.js';
import type { ResolvedRelayTuning } from './relay-options.js';
import type { OpenRelaySession, RelaySession, SendRow } from './relay-session.js';
import { shardPlan } from './shard-plan.js';
import { outboxShards } from './table-layout.js';

/** Counts since the relay started. */
export interface RelayStats {
  /** Rows acknowledged by Kafka and deleted. */
  relayed: number;
  /** Sends that failed; their rows stay and are sent again. */
  failedSends: number;
  /** Turns that failed on the database (the session is reopened). */
  sessionFailures: number;
  /** Shards this relay holds now. */
  shardsHeld: number;
}

/** What the relay tells its owner (logs, metrics, tests). */
export interface RelayEvents {
  /** A turn's rows went out; `relayed` were acknowledged and deleted, `failed` stay. */
  batch?(info: { relayed: number; failed: number }): void;
  /** The leases changed. */
  leases?(held: readonly number[]): void;
}

/**
 * Sends committed outbox rows to Kafka in id order per shard and deletes each row only
 * after Kafka acknowledged it. One turn at a time: read a batch of the held shards' rows,
 * send them all (the producer keeps their order per partition), wait for every outcome,
 * delete the acknowledged ones. A row whose send failed stays and is sent again, first,
 * in a later turn; nothing is skipped.
 */
export class OutboxRelay {
  readonly stats: RelayStats = { relayed: 0, failedSends: 0, sessionFailures: 0, shardsHeld: 0 };
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private session: RelaySession | undefined;
  private held = new Set<number>();
  private lastRebalance = -Infinity;
  private backoffMs: number;
  private latestBacklog: Backlog | undefined;
  private backlogTimer: NodeJS.Timeout | undefined;
  private readingBacklog = false;

  constructor(
    private readonly openSession: OpenRelaySession,
    private readonly send: SendRow,
    private readonly tuning: ResolvedRelayTuning,
    private readonly events: RelayEvents = {},
    private readonly random: () => number = Math.random,
  ) {
    this.backoffMs = tuning.retryBackoffMs;
  }

  /**
   * Opens the first session (so a wrong URL or a missing schema fails here) and starts
   * relaying in the background; `done` settles when the relay ends.
   */
  async start(): Promise<void> {
    if (this.running) throw new Error('OutboxRelay.start(): already started');
    this.session = await this.openSession();
    // On a timer of its own, not per turn: a turn stuck on a send (the cluster down) is
    // exactly when the backlog must still be seen growing.
    void this.readBacklog();
    this.backlogTimer = setInterval(() => void this.readBacklog(), this.tuning.rebalanceIntervalMs);
    this.backlogTimer.unref();
    this.running = this.loop();
    // Logged in the loop; `done` still rejects for whoever awaits it.
    this.running.catch(() => undefined);
  }

  /** Settles when the relay has stopped: resolves after stop(), rejects on a fatal error. */
  get done(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** The backlog as last read (every rebalanceIntervalMs), for the gauges; undefined before the first. */
  get backlog(): Backlog | undefined {
    return this.latestBacklog;
  }

  /** Finishes the turn in hand (its acknowledged rows are deleted), gives back the leases. */
  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.backlogTimer);
    await this.running?.catch(() => undefined);
    await this.closeSession();
  }

  private async loop(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      try {
        this.session ??= await this.openSession();
        const worked = await this.turn(this.session);
        if (!worked && !signal.aborted) {
          await this.session.waitForCommit(this.tuning.pollIntervalMs, signal);
        }
      } catch (err) {
        if (isFatal(err)) {
          this.tuning.logger.error('outbox relay stopped', { error: (err as Error).message });
          clearInterval(this.backlogTimer);
          await this.closeSession();
          throw err;
        }
        this.stats.sessionFailures++;
        this.tuning.logger.warn('outbox relay: database turn failed; reopening the session', {
          error: (err as Error).message,
        });
        await this.closeSession();
        await this.pause();
      }
    }
  }

  /** One turn; false when there was nothing to send. */
  private async turn(session: RelaySession): Promise<boolean> {
    await this.rebalance(session);
    if (this.held.size === 0) return false;
    const rows = await session.fetch([...this.held], this.tuning.batchSize);
    if (rows.length === 0) return false;
    // Issued in one synchronous pass, in id order: the producer appends them to its
    // partition batches in this order and its idempotent delivery keeps it.
    const outcomes = await Promise.allSettled(rows.map((row) => this.send(row)));
    const acked: string[] = [];
    const failed: { row: OutboxRow; error: unknown }[] = [];
    outcomes.forEach((o, i) => {
      const row = rows[i] as OutboxRow;
      if (o.status === 'fulfilled') acked.push(row.id);
      else failed.push({ row, error: o.reason });
    });
    if (acked.length > 0) await session.remove(acked);
    this.stats.relayed += acked.length;
    this.stats.failedSends += failed.length;
    this.events.batch?.({ relayed: acked.length, failed: failed.length });
    if (failed.length === 0) {
      this.backoffMs = this.tuning.retryBackoffMs;
      return true;
    }
    this.reportFailures(rows, failed);
    await this.pause();
    return true;
  }

  private reportFailures(
    rows: readonly OutboxRow[],
    failed: readonly { row: OutboxRow; error: unknown }[],
  ) {
    const first = failed[0] as { row: OutboxRow; error: unknown };
    const error = first.error as { message?: string; code?: string };
    this.tuning.logger.warn('outbox relay: sends failed; the rows stay and go again', {
      failed: failed.length,
      of: rows.length,
      firstId: first.row.id,
      firstEventId: first.row.eventId,
      error: error?.message,
      code: error?.code,
    });
    // A later row of the same key acknowledged after an earlier one failed is in Kafka ahead
    // of it: say so, with the key, because the re-send cannot undo it.
    const failedIds = new Set(failed.map((f) => f.row.id));
    const failedKeys = new Set<string>();
    for (const row of rows) {
      if (row.key === null) continue;
      const key = `${row.topic}\u0000${row.key.toString('hex')}`;
      if (failedIds.has(row.id)) failedKeys.add(key);
      else if (failedKeys.has(key)) {
        this.tuning.logger.error(
          'outbox relay: a row was acknowledged after an earlier row of its key failed; Kafka holds them out of order',
          { topic: row.topic, id: row.id, eventId: row.eventId },
        );
      }
    }
  }

  private async rebalance(session: RelaySession): Promise<void> {
    const now = performance.now();
    if (now - this.lastRebalance < this.tuning.rebalanceIntervalMs) return;
    this.lastRebalance = now;
    const plan = shardPlan({
      held: this.held,
      relays: await session.relayCount(),
      shards: outboxShards,
      start: Math.floor(this.random() * outboxShards),
    });
    const before = this.held.size;
    for (const shard of plan.release) {
      await session.release(shard);
      this.held.delete(shard);
    }
    let want = plan.want;
    for (const shard of plan.candidates) {
      if (want === 0) break;
      if (await session.tryLease(shard)) {
        this.held.add(shard);
        want--;
      }
    }
    this.stats.shardsHeld = this.held.size;
    if (plan.release.length > 0 || this.held.size !== before) {
      this.events.leases?.([...this.held].sort((a, b) => a - b));
    }
  }

  private async readBacklog(): Promise<void> {
    const session = this.session;
    if (!session || this.readingBacklog) return;
    this.readingBacklog = true;
    try {
      this.latestBacklog = await session.backlog();
    } catch {
      // The turn loop sees the same failure and reopens the session.
    } finally {
      this.readingBacklog = false;
    }
  }

  private async pause(): Promise<void> {
    const ms = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.tuning.retryBackoffMaxMs);
    await sleep(ms, undefined, { signal: this.abort.signal }).catch(() => undefined);
  }

  private async closeSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.held = new Set();
    this.stats.shardsHeld = 0;
    this.lastRebalance = -Infinity;
    await session?.close().catch(() => undefined);
  }
}

/** Errors a reopened session cannot cure: the relay stops with them. */
function isFatal(err: unknown): boolean {
  return (
    KafkaSdkError.is(err) &&
    (err.code === 'OUTBOX_SCHEMA_MISSING' ||
      err.code === 'OUTBOX_SCHEMA_NEWER' ||
      err.code === 'CONFIG_INVALID')
  );
}
