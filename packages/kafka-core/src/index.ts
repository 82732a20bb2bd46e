export { KafkaSdkError, ConfigError } from './errors.js';
export type { KafkaSdkErrorCode, KafkaSdkErrorOptions, ConfigIssue } from './errors.js';
export { Secret } from './secret.js';
export { jsonLogger, silentLogger, warnOnce } from './logger.js';
export type { Logger, LogFields, LogLevel } from './logger.js';
export { parseOptions, configIssues } from './parse-options.js';
export {
  connectionOptionsSchema,
  connectionOptionsShape,
  connectionOf,
} from './connection-options.js';
export type { ConnectionOptions, ResolvedConnection, SaslMechanism } from './connection-options.js';
export { createKafkaJsClient } from './kafkajs-client.js';
export { fixKafkaJsRequestQueue } from './kafkajs-request-queue.js';
export { authenticationFailure, connectClient, tlsFailure } from './connect-client.js';
export { ensureTopics, resolveTopicDefaults } from './ensure-topics.js';
export type { TopicSpec, EnsureTopicsReport } from './ensure-topics.js';
export { suggestPartitions } from './suggest-partitions.js';
export type { PartitionSizing } from './suggest-partitions.js';
export { injectTraceContext, extractTraceContext } from './trace-context-headers.js';
export { headerText, eventIdHeader } from './record-headers.js';
export type { RecordHeaders } from './record-headers.js';
export { attr, messagingSystem, messagingDurationBuckets } from './messaging-attributes.js';
export { onShutdownSignal } from './shutdown-signals.js';
export { runCli, cliExitCodes, cliExitCodesUsage, isUnreachable } from './run-cli.js';
export { packageDirectory, packageVersion } from './package-directory.js';
export type { CliSpec, CliOutput } from './run-cli.js';
export {
  registerCompressionCodecs,
  assertCompressionAvailable,
  compressionType,
  compressionNames,
  type CompressionName,
  type ZstdImplementation,
} from './compression-codecs.js';
export { connectionCliOptions, connectionCliUsage, connectionFromCli } from './cli-connection.js';
export type { CliConnection } from './cli-connection.js';
export {
  retryTopicName,
  deadLetterTopicName,
  parseRetryTopic,
  isDerivedTopicName,
} from './derived-topic-names.js';
export { whileMetadataCatchesUp, metadataCatchUp } from './metadata-catch-up.js';
export type { CatchUpWait } from './metadata-catch-up.js';
