import { ConfigError } from './errors.js';

export interface PartitionSizing {
  /** Peak throughput the topic must carry, in MB/s. */
  readonly targetMBps: number;
  /** What one partition sustains on your brokers and consumers, in MB/s. Default 10. */
  readonly perPartitionMBps?: number;
}

/**
 * A partition count for a target throughput: ceil(target / per-partition), at least 1.
 * Partitions can be added later but never removed, and adding them moves keys, so size
 * for the peak you expect, not for today.
 */
export function suggestPartitions({ targetMBps, perPartitionMBps = 10 }: PartitionSizing): number {
  const issues = [];
  if (!(Number.isFinite(targetMBps) && targetMBps > 0)) {
    issues.push({ path: 'targetMBps', message: `expected a positive number, got ${targetMBps}` });
  }
  if (!(Number.isFinite(perPartitionMBps) && perPartitionMBps > 0)) {
    issues.push({
      path: 'perPartitionMBps',
      message: `expected a positive number, got ${perPartitionMBps}`,
    });
  }
  if (issues.length > 0) throw new ConfigError('suggestPartitions', issues);
  return Math.max(1, Math.ceil(targetMBps / perPartitionMBps));
}
