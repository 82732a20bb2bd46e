export { createProducer } from './producer.js';
export type { SafeProducer } from './producer.js';
export { producerDefaults, resolveProducerOptions } from './options.js';
export type { ProducerOptions, ResolvedProducerOptions } from './options.js';
export type { ProducerMessage, ProducerRecord, ProducerBatch, RecordMetadata } from './types.js';
export type {
  Partitioner,
  PartitionerArgs,
  PartitionerMessage,
  PartitionInfo,
} from './partitioner.js';
export { javaCompatiblePartitioner } from './java-compatible-partitioner.js';
export { vipPriorityPartitioner } from './vip-priority-partitioner.js';
export type { VipPriorityOptions } from './vip-priority-partitioner.js';
export { tierLayout } from './vip-tiers.js';
export type { TierLayout, TierSizing } from './vip-tiers.js';
export { murmur2, murmur2Key, toPositive, javaPartitionForKey } from './murmur2.js';
