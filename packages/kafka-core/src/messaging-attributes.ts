// Attribute names of the OpenTelemetry messaging semantic conventions (Kafka), written out
// so the SDK does not depend on the still-incubating semconv package.
export const attr = {
  system: 'messaging.system',
  operationName: 'messaging.operation.name',
  operationType: 'messaging.operation.type',
  destinationName: 'messaging.destination.name',
  partitionId: 'messaging.destination.partition.id',
  consumerGroup: 'messaging.consumer.group.name',
  clientId: 'messaging.client.id',
  messageKey: 'messaging.kafka.message.key',
  offset: 'messaging.kafka.offset',
  batchCount: 'messaging.batch.message_count',
  errorType: 'error.type',
} as const;

export const messagingSystem = 'kafka';

/**
 * Histogram buckets for messaging durations in seconds, as the OpenTelemetry semantic
 * conventions advise for `messaging.*.duration`.
 */
export const messagingDurationBuckets: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];
