import { ConfigError, warnOnce, silentLogger, type Logger } from '@org/kafka-core';
import { murmur2Key, toPositive } from './murmur2.js';
import type { Partitioner, PartitionerMessage } from './partitioner.js';
import { RoundRobin } from './round-robin.js';
import { tierLayout, type TierLayout, type TierSizing } from './vip-tiers.js';

export interface VipPriorityOptions extends TierSizing {
  /** Reads the record (key, headers or value) and says whether it belongs to a VIP. */
  readonly isVip: (message: PartitionerMessage) => boolean;
  /** Where the small-topic warnings go. */
  readonly logger?: Logger;
}

function validate(options: VipPriorityOptions): void {
  const issues = [];
  if (typeof options.isVip !== 'function') {
    issues.push({ path: 'isVip', message: 'expected a function (message) => boolean' });
  }
  if (options.vipShare !== undefined && !(options.vipShare > 0 && options.vipShare < 1)) {
    issues.push({
      path: 'vipShare',
      message: `expected a number between 0 and 1 (exclusive), got ${options.vipShare}`,
    });
  }
  if (
    options.vipPartitions !== undefined &&
    !(Number.isInteger(options.vipPartitions) && options.vipPartitions >= 1)
  ) {
    issues.push({
      path: 'vipPartitions',
      message: `expected a positive integer, got ${options.vipPartitions}`,
    });
  }
  if (options.vipShare !== undefined && options.vipPartitions !== undefined) {
    issues.push({ path: 'vipPartitions', message: 'set vipShare or vipPartitions, not both' });
  }
  if (issues.length > 0) throw new ConfigError('vipPriorityPartitioner', issues);
}

/**
 * Reserves the first share of partitions (default 80%) for VIP customers' records and the
 * rest for everyone else, so a flood of ordinary traffic cannot delay VIP records behind
 * it. Within a tier, a keyed record goes to tierStart + toPositive(murmur2(key)) % tierSize,
 * so one key keeps one partition (and its order) as long as its tier and the partition
 * count stay the same. Unkeyed records are spread over their tier.
 */
export function vipPriorityPartitioner(options: VipPriorityOptions): Partitioner {
  validate(options);
  const logger = options.logger ?? silentLogger;
  const layouts = new Map<number, TierLayout>();
  // One counter per tier, so the mix of VIP and other traffic cannot skew either spread.
  const ranges = new Map<string, { ids: number[]; spread: RoundRobin }>();

  const layoutFor = (topic: string, partitionCount: number): TierLayout => {
    let layout = layouts.get(partitionCount);
    if (!layout) {
      layout = tierLayout(partitionCount, options);
      layouts.set(partitionCount, layout);
    }
    if (layout.shared) {
      warnOnce(
        logger,
        `vip-shared:${topic}`,
        `Topic "${topic}" has 1 partition: VIP and other records share it, so VIP records get no priority`,
        { topic },
      );
    } else if (options.vipPartitions !== undefined && options.vipPartitions > layout.vipCount) {
      warnOnce(
        logger,
        `vip-capped:${topic}:${partitionCount}`,
        `Topic "${topic}" has ${partitionCount} partitions: VIP partitions capped at ${layout.vipCount} so other records keep one`,
        { topic },
      );
    }
    return layout;
  };

  const range = (start: number, count: number) => {
    const id = `${start}:${count}`;
    let entry = ranges.get(id);
    if (!entry) {
      entry = { ids: Array.from({ length: count }, (_, i) => start + i), spread: new RoundRobin() };
      ranges.set(id, entry);
    }
    return entry;
  };

  return ({ topic, partitionCount, partitions, message }) => {
    const layout = layoutFor(topic, partitionCount);
    const vip = options.isVip(message);
    const start = vip ? 0 : layout.otherStart;
    const size = vip ? layout.vipCount : layout.otherCount;
    const key = message.key;
    if (key !== null && key !== undefined) return start + (toPositive(murmur2Key(key)) % size);
    const tier = range(start, size);
    return tier.spread.next(tier.ids, partitions);
  };
}
