/** How the partitions of a topic are split between VIP and other records. */
export interface TierLayout {
  /** VIP records use partitions [0, vipCount). */
  readonly vipCount: number;
  /** Other records use partitions [otherStart, partitionCount). */
  readonly otherStart: number;
  readonly otherCount: number;
  /** True when the topic is too small to separate the tiers (1 partition: both share it). */
  readonly shared: boolean;
}

export interface TierSizing {
  /** Share of partitions reserved for VIP records, strictly between 0 and 1. */
  readonly vipShare?: number;
  /** Or an exact number of VIP partitions (wins over vipShare). */
  readonly vipPartitions?: number;
}

/**
 * The split for `partitionCount` partitions. VIP partitions come first. Each tier keeps at
 * least one partition whenever there are two or more: with 2 partitions, one each; with
 * 1, both tiers share it. A requested vipPartitions that leaves no partition for the
 * others is capped at partitionCount - 1.
 */
export function tierLayout(partitionCount: number, sizing: TierSizing): TierLayout {
  if (!Number.isInteger(partitionCount) || partitionCount < 1) {
    throw new RangeError(`partitionCount must be a positive integer, got ${partitionCount}`);
  }
  if (partitionCount === 1) return { vipCount: 1, otherStart: 0, otherCount: 1, shared: true };
  const wanted = sizing.vipPartitions ?? Math.round(partitionCount * (sizing.vipShare ?? 0.8));
  const vipCount = Math.min(partitionCount - 1, Math.max(1, wanted));
  return { vipCount, otherStart: vipCount, otherCount: partitionCount - vipCount, shared: false };
}
