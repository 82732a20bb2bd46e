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
