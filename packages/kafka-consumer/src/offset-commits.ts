import type { Logger } from '@org/kafka-core';
import type { PartitionStates } from './partition-state.js';

/** One partition's commit: the offset of the next record to read after a restart. */
export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** What asked for a commit; an interval commit is skipped while the group rebalances. */
export type CommitReason = 'batch' | 'interval' | 'stop';

/**
 * Commits, for each partition, the offset before which every record is finished, and
 * nothing else: one commit at a time, in the order asked (a later commit never races an
 * earlier one to the broker). A failed commit is logged; the next one carries its offsets.
 */
export class OffsetCommits {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly states: PartitionStates,
    private readonly commitOffsets: (offsets: OffsetToCommit[]) => Promise<void>,
    private readonly rebalancing: () => boolean,
    private readonly logger: Logger,
  ) {}

  commit(why: CommitReason): Promise<void> {
    this.chain = this.chain.then(() => this.commitNow(why));
    return this.chain;
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
