export { startKafkaCluster, resolveBackend } from './start-kafka-cluster.js';
export type {
  BrokerInfo,
  KafkaClusterOptions,
  StartedKafkaCluster,
  StopBrokerOptions,
  TopicSpec,
} from './cluster-types.js';
export type { SaslListenerOptions, SaslUser } from './sasl-listener.js';
export type { TlsListenerInfo } from './tls-listener.js';
export { startSchemaRegistry } from './schema-registry.js';
export { containerSessionLabel } from './container-session.js';
export { buildContainerImages, resolveContainerImages } from './container-images.js';
export type { ContainerImages, ImageOrigin, ImagePolicy } from './container-images.js';
export type {
  CompatibilityLevel,
  SchemaRegistryOptions,
  StartedSchemaRegistry,
} from './schema-registry.js';
export { consumeN } from './consume-n.js';
export { createTopic } from './cluster-admin.js';
export type { ConsumedMessage, ConsumeOptions } from './consume-n.js';
export { waitFor } from './wait-for.js';
export type { WaitForOptions } from './wait-for.js';
export { runKafkaJavaTool } from './kafka-java-tool.js';
export type { LogBatch } from './log-segments.js';
export type { KafkaJavaToolResult } from './kafka-java-tool.js';
export {
  cacheRoot,
  ensureKafkaDistribution,
  ensureRegistryDistribution,
  type ProgressListener,
} from './artifact-cache.js';
export type { BackendName } from './backend-choice.js';
export type { BrokerConfigValue } from './broker-config.js';
export { KafkaTestkitError, type KafkaTestkitErrorCode } from './errors.js';
export { versions } from './versions.js';
export { startPostgres } from './postgres.js';
export type { PostgresOptions, StartedPostgres } from './postgres.js';
