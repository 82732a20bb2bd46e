import type { PartitionInfo } from './partitioner.js';

/**
 * Spreads records without a key over candidate partitions, skipping partitions that have
 * no leader right now (unless all are leaderless), so unkeyed records do not wait behind
 * an unavailable partition.
 */
export class RoundRobin {
  private counter = Math.floor(Math.random() * 0x7fffffff);

  /** The next partition among `candidates` (partition ids). */
  next(candidates: readonly number[], partitions: readonly PartitionInfo[]): number {
    this.counter = (this.counter + 1) & 0x7fffffff;
    let pool = candidates;
    // Usually every partition has a leader and this costs one pass without allocation.
    if (partitions.some((p) => p.leader < 0)) {
      const down = new Set(partitions.filter((p) => p.leader < 0).map((p) => p.partitionId));
      const up = candidates.filter((id) => !down.has(id));
      if (up.length > 0) pool = up;
    }
    return pool[this.counter % pool.length]!;
  }
}
