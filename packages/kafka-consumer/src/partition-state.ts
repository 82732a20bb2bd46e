import type { Context } from '@opentelemetry/api';
import { KeyParking } from './key-parking.js';
import { OffsetTracker } from './offset-tracker.js';
import type { ConsumedRecord } from './types.js';

/** Why a partition is paused; it is fetched again only when no reason is left. */
export type PauseReason = 'user' | 'retry-not-due' | 'parking-full' | 'outage';

/** A source record parked behind its key (keyOrdering 'preserve'). */
export interface Parked {
  readonly record: ConsumedRecord;
  readonly parent: Context;
}

/** Pausing and resuming fetches of one partition: the part of the driver the states use. */
export interface PartitionFetchControl {
  pause(topic: string, partition: number): void;
  resume(topic: string, partition: number): void;
}

/**
 * Everything the consumer knows about one topic-partition: the records handed out and not
 * finished (the offset tracker, which alone decides the commit point), the records parked
 * behind their keys, the offset last committed, the timer that resumes it when a retry is
 * due, and why it is paused.
 */
export class PartitionState {
  private tracker = new OffsetTracker();
  readonly parking = new KeyParking<Parked>();
  private committed: bigint | undefined;
  private readonly pauses = new Set<PauseReason>();
  dueTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** A record is handed to the handler path; offsets must ascend. */
  begin(offset: string): void {
    this.tracker.begin(offset);
  }

  /** A record reached its final outcome here (processed, or durably handed off). */
  finish(offset: string): void {
    this.tracker.finish(offset);
  }

  /** Forgets the unfinished records from `offset` on: they will be delivered again. */
  forgetFrom(offset: string): void {
    this.tracker.forgetFrom(offset);
  }

  /** Records begun and not finished. */
  get inFlight(): number {
    return this.tracker.inFlight;
  }

  /**
   * The offset to commit now: the first unfinished record (or one past the last finished),
   * or undefined when it is already committed or nothing finished yet.
   */
  toCommit(): bigint | undefined {
    const next = this.tracker.committable();
    return next === undefined || next === this.committed ? undefined : next;
  }

  /** The broker acknowledged a commit of `offset`. */
  markCommitted(offset: bigint): void {
    this.committed = offset;
  }

  /** Adds a pause reason; true when the partition was not paused before. */
  addPause(reason: PauseReason): boolean {
    const first = this.pauses.size === 0;
    this.pauses.add(reason);
    return first;
  }

  /** Removes a pause reason; true when it was there and none is left. */
  removePause(reason: PauseReason): boolean {
    return this.pauses.delete(reason) && this.pauses.size === 0;
  }

  isPaused(reason?: PauseReason): boolean {
    return reason === undefined ? this.pauses.size > 0 : this.pauses.has(reason);
  }

  /**
   * The member (re)joined and still owns this partition. kafkajs starts it again from its
   * committed offset, so what was begun, parked or finished but not committed will be
   * delivered again: forget it. Keys held by a record in a retry topic stay held.
   */
  rejoined(): void {
    this.tracker = new OffsetTracker();
    this.committed = undefined;
    this.parking.dropParked();
  }

  clearDueTimer(): void {
    clearTimeout(this.dueTimer);
    this.dueTimer = undefined;
  }
}

/**
 * The state of every partition the consumer has seen, one owner for pausing and resuming
 * them: a partition is paused on its first reason and resumed when its last is gone, so one
 * part of the consumer never resumes what another still holds.
 */
export class PartitionStates {
  private readonly byTopic = new Map<string, Map<number, PartitionState>>();
  // After stop() began nothing is resumed: the stop paused every topic for good.
  private frozen = false;

  constructor(private readonly fetches: PartitionFetchControl) {}

  /** The state of a partition, created on first use. */
  of(topic: string, partition: number): PartitionState {
    let partitions = this.byTopic.get(topic);
    if (!partitions) this.byTopic.set(topic, (partitions = new Map<number, PartitionState>()));
    let state = partitions.get(partition);
    if (!state) partitions.set(partition, (state = new PartitionState(topic, partition)));
    return state;
  }

  /** The state of a partition if it has one. */
  find(topic: string, partition: number): PartitionState | undefined {
    return this.byTopic.get(topic)?.get(partition);
  }

  *[Symbol.iterator](): IterableIterator<PartitionState> {
    for (const partitions of this.byTopic.values()) yield* partitions.values();
  }

  pause(topic: string, partition: number, reason: PauseReason): void {
    if (this.of(topic, partition).addPause(reason)) this.fetches.pause(topic, partition);
  }

  resume(topic: string, partition: number, reason: PauseReason): void {
    if (this.find(topic, partition)?.removePause(reason) && !this.frozen) {
      this.fetches.resume(topic, partition);
    }
  }

  /** Removes `reason` from every partition, resuming those it alone held. */
  resumeAll(reason: PauseReason): void {
    for (const { topic, partition } of this) this.resume(topic, partition, reason);
  }

  /**
   * The member joined with `assignment`. Owned partitions start over from their committed
   * offsets with nothing parked (so a parking that was full no longer holds them) and are
   * fetched again if an outage paused them (a record of theirs is held again while it lasts,
   * and can be a probe: a partition paused with no record held would wait forever). The others
   * are another member's now: their state goes, and with it every pause this member made;
   * only the user's pause outlives the assignment, as kafkajs keeps a paused partition
   * paused until it is resumed.
   */
  joined(assignment: Readonly<Record<string, readonly number[]>>): void {
    for (const state of [...this]) {
      const { topic, partition } = state;
      if (assignment[topic]?.includes(partition)) {
        state.rejoined();
        this.resume(topic, partition, 'parking-full');
        this.resume(topic, partition, 'outage');
        continue;
      }
      state.clearDueTimer();
      const userPaused = state.isPaused('user');
      const paused = state.isPaused();
      this.byTopic.get(topic)!.delete(partition);
      if (userPaused) this.of(topic, partition).addPause('user');
      else if (paused && !this.frozen) this.fetches.resume(topic, partition);
    }
  }

  /** stop() began: clear every due timer; nothing is resumed from now on. */
  freeze(): void {
    this.frozen = true;
    for (const state of this) state.clearDueTimer();
  }
}
