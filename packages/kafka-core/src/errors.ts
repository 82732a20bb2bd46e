const brand = Symbol.for('@org/kafka-core/KafkaSdkError');

/**
 * Every code an error of the SDK's packages carries: branch on these, not on messages. Each
 * package's README says when its codes are thrown and whether they are retriable. (The
 * testkit, a test tool, has its own: KafkaTestkitError.)
 */
export type KafkaSdkErrorCode =
  // @org/kafka-core: options, connections, topics, codecs
  | 'CONFIG_INVALID'
  | 'AUTHENTICATION_FAILED'
  | 'TLS_HANDSHAKE_FAILED'
  | 'TOPIC_PARTITIONS_SHRINK'
  | 'TOPIC_PROVISIONING_FAILED'
  | 'COMPRESSION_CODEC_UNAVAILABLE'
  // @org/kafka-producer
  | 'PRODUCER_NOT_CONNECTED'
  | 'PRODUCER_CLOSED'
  | 'PARTITIONER_FAILED'
  | 'SEND_FAILED'
  | 'DELIVERY_TIMEOUT'
  // @org/kafka-consumer
  | 'NON_RETRIABLE'
  | 'CONSUMER_ALREADY_STARTED'
  | 'CONSUMER_UNKNOWN_TOPIC'
  | 'CONSUMER_TOPIC_MISSING'
  | 'CONSUMER_RETRY_TOPICS_INVALID'
  | 'CONSUMER_HAND_OFF_FAILED'
  | 'REPLAY_FAILED'
  // @org/kafka-lag-monitor
  | 'LAG_MONITOR_CONNECT_FAILED'
  | 'LAG_MONITOR_OFFSETS_FAILED'
  // @org/kafka-serdes
  | 'DESERIALIZATION_FAILED'
  | 'VALIDATION_FAILED'
  | 'SCHEMA_REGISTRY_FAILED'
  | 'SCHEMA_SETUP_FAILED'
  // @org/kafka-outbox
  | 'OUTBOX_RECORD_INVALID'
  | 'OUTBOX_SCHEMA_MISSING'
  | 'OUTBOX_SCHEMA_NEWER';

export interface KafkaSdkErrorOptions {
  readonly retriable?: boolean;
  readonly cause?: unknown;
}

/**
 * The base of every SDK error: a stable `code`, whether retrying may help (`retriable`),
 * and the original error as `cause`.
 */
export class KafkaSdkError extends Error {
  readonly code: KafkaSdkErrorCode;
  readonly retriable: boolean;
  readonly [brand] = true;

  constructor(code: KafkaSdkErrorCode, message: string, options: KafkaSdkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KafkaSdkError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }

  /** True for any SDK error, also one thrown by another installed copy of this package. */
  static is(err: unknown): err is KafkaSdkError {
    return (
      typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[brand] === true
    );
  }
}

/** One problem found in user options: where (`path`) and what is wrong. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** Options refused at construction. The message lists every issue with its path. */
export class ConfigError extends KafkaSdkError {
  readonly issues: readonly ConfigIssue[];

  constructor(what: string, issues: readonly ConfigIssue[]) {
    super(
      'CONFIG_INVALID',
      `Invalid ${what} options:\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
