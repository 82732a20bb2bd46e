import { ConfigError, silentLogger, type Logger } from '@org/kafka-core';
import { murmur2Key, toPositive } from './murmur2.js';
import type { Partitioner, PartitionerMessage } from './partitioner.js';
import { RoundRobin } from './round-robin.js';
import { tierLayout, type TierSizing } from './vip-tiers.js';

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

/** One tier's partitions; its own counter, so the mix of VIP and other traffic cannot skew either spread. */
interface Tier {
  readonly start: number;
  readonly size: number;
  readonly ids: readonly number[];
  readonly spread: RoundRobin;
}

interface CountPlan {
  readonly vip: Tier;
  readonly other: Tier;
  /** The warning a topic of this size deserves, if any (logged once per topic). */
  readonly warning: ((topic: string) => string) | undefined;
  readonly warned: Set<string>;
}

function tier(start: number, size: number): Tier {
  return {
    start,
    size,
    ids: Array.from({ length: size }, (_, i) => start + i),
    spread: new RoundRobin(),
  };
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
  // Everything a record's partition depends on besides its key, worked out once per
  // partition count; the per-record path only looks it up.
  const byCount = new Map<number, CountPlan>();

  const planFor = (partitionCount: number): CountPlan => {
    let plan = byCount.get(partitionCount);
    if (!plan) {
      const layout = tierLayout(partitionCount, options);
      const capped = options.vipPartitions !== undefined && options.vipPartitions > layout.vipCount;
      plan = {
        vip: tier(0, layout.vipCount),
        other: tier(layout.otherStart, layout.otherCount),
        warning: layout.shared
          ? (topic) =>
              `Topic "${topic}" has 1 partition: VIP and other records share it, so VIP records get no priority`
          : capped
            ? (topic) =>
                `Topic "${topic}" has ${partitionCount} partitions: VIP partitions capped at ${layout.vipCount} so other records keep one`
            : undefined,
        warned: new Set(),
      };
      byCount.set(partitionCount, plan);
    }
    return plan;
  };

  return ({ topic, partitionCount, partitions, message }) => {
    const plan = planFor(partitionCount);
    if (plan.warning && !plan.warned.has(topic)) {
      plan.warned.add(topic);
      logger.warn(plan.warning(topic), { topic });
    }
    const { start, size, ids, spread } = options.isVip(message) ? plan.vip : plan.other;
    const key = message.key;
    if (key !== null && key !== undefined) return start + (toPositive(murmur2Key(key)) % size);
    return spread.next(ids, partitions);
  };
}
