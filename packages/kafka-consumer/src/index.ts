export { createConsumer } from './consumer.js';
export type { SafeConsumer, ConsumerEvents } from './consumer.js';
export { consumerDefaults, resolveConsumerOptions } from './options.js';
export type { ConsumerOptions, ResolvedConsumerOptions, TopicPlan } from './options.js';
export type {
  ConsumedRecord,
  DeliverySource,
  HandlerContext,
  EachMessageHandler,
  EachBatchHandler,
  RecordOutcome,
  OutageChange,
} from './types.js';
export type { OutagePolicy } from './outage-gate.js';
export type { OutageEvidence } from './outage-detector.js';
export { backoffDelay, backoffCeiling } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { nextStep } from './retry-route.js';
// Named by core, which owns the rule; exported here too, where users of retry topics look.
export { retryTopicName, deadLetterTopicName } from '@org/kafka-core';
export type { RetryPolicy, NextStep } from './retry-route.js';
export {
  retryHeaderNames,
  springDltHeaderNames,
  encodeRetryHeaders,
  decodeRetryHeaders,
  encodeDeadLetterHeaders,
  truncateUtf8,
  defaultErrorHeaderLimits,
} from './retry-headers.js';
export type { RetryInfo, ErrorHeaderLimits } from './retry-headers.js';
export { NonRetriableError, isRetriable } from './error-classification.js';
export { coPartitionedAssigner, coPartitionedAssignment } from './co-partitioned-assigner.js';
export { retryTopicSpecs, retryRetentionMs, deadLetterRetentionMs } from './retry-topics.js';
export { replayDeadLetters } from './replay-dead-letters.js';
export type { ReplayOptions, ReplayReport, DeadLetter } from './replay-dead-letters.js';
export {
  deduplicateByEventId,
  inMemoryEventIdStore,
  defaultDedupWindow,
} from './event-id-dedup.js';
export type { DeduplicateOptions, EventIdStore } from './event-id-dedup.js';
