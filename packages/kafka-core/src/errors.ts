const brand = Symbol.for('@org/kafka-core/KafkaSdkError');

/** Stable codes of the errors the SDK throws; branch on these, not on messages. */
export type KafkaSdkErrorCode =
  | 'CONFIG_INVALID'
  | 'TOPIC_PARTITIONS_SHRINK'
  | 'TOPIC_PROVISIONING_FAILED'
  | 'PRODUCER_CLOSED'
  | 'PRODUCER_NOT_CONNECTED'
  | 'DELIVERY_TIMEOUT'
  | 'SEND_FAILED'
  | 'PARTITIONER_FAILED'
  | 'NON_RETRIABLE'
  | 'AUTHENTICATION_FAILED'
  | 'TLS_HANDSHAKE_FAILED'
  | 'OUTBOX_RECORD_INVALID'
  | 'OUTBOX_SCHEMA_MISSING'
  | 'OUTBOX_SCHEMA_NEWER'
  | 'OUTBOX_RELAY_STOPPED'
  | 'COMPRESSION_CODEC_UNAVAILABLE'
  | (string & {});

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
