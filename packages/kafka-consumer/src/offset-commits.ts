import type { Logger } from '@org/kafka-core';
import type { PartitionStates } from './partition-state.js';

/** One partition's commit: the offset of the next record to read after a restart. */
export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * What asked for a commit: a batch ended, the interval, stop(), or a rebalance about to take
 * the partitions. An interval commit is skipped while the group rebalances.
 */
export type CommitReason = 'batch' | 'interval' | 'stop' | 'rebalance';

/**
 * Commits, for each partition, the offset before which every record is finished, and
 * nothing else: one commit at a time, in the order asked (a later commit never races an
 * earlier one to the broker). A failed commit is logged; the next one carries its offsets.
 *
 * A commit asked for while another waits to start joins the waiting one: that one reads the
 * partitions' state when it starts, so it carries the later progress too. The consumer asks
 * after every batch without waiting for the answer (an awaited commit per batch held each
 * fetch back by a coordinator round trip), so without this a slow coordinator would build
 * an ever longer queue of commits.
 */
export class OffsetCommits {
  private chain: Promise<void> = Promise.resolve();
  /** The commit that waits for the one in flight, and why it was asked for. */
  private waiting: { readonly done: Promise<void>; why: CommitReason } | undefined;

  constructor(
    private readonly states: PartitionStates,
    private readonly commitOffsets: (offsets: OffsetToCommit[]) => Promise<void>,
    private readonly rebalancing: () => boolean,
    private readonly logger: Logger,
  ) {}

  /** Resolves once a commit that started after this call has ended; never rejects. */
  commit(why: CommitReason): Promise<void> {
    if (this.waiting) {
      // Only an interval commit is skipped while the group rebalances: a waiting interval
      // commit joined by a batch or stop commit takes on the stronger reason.
      if (this.waiting.why === 'interval') this.waiting.why = why;
      return this.waiting.done;
    }
    const waiting: { done: Promise<void>; why: CommitReason } = { done: this.chain, why };
    waiting.done = this.chain.then(() => {
      this.waiting = undefined;
      return this.commitNow(waiting.why);
    });
    this.waiting = waiting;
    this.chain = waiting.done;
    return waiting.done;
  }

  private async commitNow(why: CommitReason): Promise<void> {
    if (why === 'interval' && this.rebalancing()) return;
    const due = [...this.states].flatMap((state) => {
      const offset = state.toCommit();
      return offset === undefined ? [] : [{ state, offset }];
    });
    if (due.length === 0) return;
    try {
      await this.commitOffsets(
        due.map(({ state, offset }) => ({
          topic: state.topic,
          partition: state.partition,
          offset: offset.toString(),
        })),
      );
      for (const { state, offset } of due) state.markCommitted(offset);
    } catch (err) {
      this.logger.warn(
        `commit failed (${why}); the records since the last commit may be delivered again`,
        { error: (err as Error).message },
      );
    }
  }
}
