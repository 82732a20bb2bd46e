import { KafkaSdkError, headerText, type RecordHeaders } from '@org/kafka-core';

/** Header names the SDK writes on retry and dead-letter records. */
export const retryHeaderNames = {
  attempt: 'x-retry-attempt',
  dueAt: 'x-retry-due-at',
  firstFailureAt: 'x-retry-first-failure-at',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  originalTimestamp: 'x-original-timestamp',
  exceptionClass: 'x-exception-class',
  exceptionMessage: 'x-exception-message',
  exceptionStacktrace: 'x-exception-stacktrace',
} as const;

/** The names Spring Kafka's DeadLetterPublishingRecoverer writes, for Java tooling. */
export const springDltHeaderNames = {
  originalTopic: 'kafka_dlt-original-topic',
  originalPartition: 'kafka_dlt-original-partition',
  originalOffset: 'kafka_dlt-original-offset',
  originalTimestamp: 'kafka_dlt-original-timestamp',
  exceptionClass: 'kafka_dlt-exception-fqcn',
  exceptionMessage: 'kafka_dlt-exception-message',
  exceptionStacktrace: 'kafka_dlt-exception-stacktrace',
} as const;

/** Where a record came from and how often it failed. */
export interface RetryInfo {
  readonly attempt: number;
  readonly dueAt: number;
  readonly firstFailureAt: number;
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  readonly originalTimestamp: string;
}

/** Bounds on the error headers of a dead letter, in UTF-8 bytes. */
export interface ErrorHeaderLimits {
  readonly maxMessageBytes: number;
  readonly maxStackBytes: number;
}

export const defaultErrorHeaderLimits: ErrorHeaderLimits = {
  maxMessageBytes: 1_024,
  maxStackBytes: 4_096,
};

const marker = '…[truncated]';

/** `text` cut to at most `maxBytes` UTF-8 bytes, never inside a character, marked when cut. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const room = Math.max(0, maxBytes - Buffer.byteLength(marker));
  const bytes = Buffer.from(text).subarray(0, room);
  // Drop a partial multi-byte character at the end (continuation bytes are 10xxxxxx).
  let end = bytes.length;
  let back = end - 1;
  while (back >= 0 && (bytes[back]! & 0xc0) === 0x80) back--;
  if (back >= 0) {
    const lead = bytes[back]!;
    const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (back + size > end) end = back;
  }
  return bytes.subarray(0, end).toString('utf8') + marker;
}

/** The headers of a record sent to a retry topic. */
export function encodeRetryHeaders(info: RetryInfo): Record<string, string> {
  const h = retryHeaderNames;
  return {
    [h.attempt]: String(info.attempt),
    [h.dueAt]: String(info.dueAt),
    [h.firstFailureAt]: String(info.firstFailureAt),
    [h.originalTopic]: info.originalTopic,
    [h.originalPartition]: String(info.originalPartition),
    [h.originalOffset]: info.originalOffset,
    [h.originalTimestamp]: info.originalTimestamp,
  };
}

const int64Max = 2n ** 63n - 1n;

/**
 * The integer text of header `name`. Offsets and timestamps are Kafka int64s that may
 * exceed 2^53, so `kind: 'int64'` keeps them as strings; counts and times must be safe
 * JavaScript integers.
 */
function integerText(
  headers: Readonly<RecordHeaders>,
  name: string,
  kind: 'safe' | 'int64',
): string {
  const value = headerText(headers, name);
  const valid =
    value !== undefined &&
    /^-?\d{1,19}$/.test(value) &&
    (kind === 'safe'
      ? Number.isSafeInteger(Number(value))
      : BigInt(value) <= int64Max && BigInt(value) >= -int64Max - 1n);
  if (!valid) {
    throw new KafkaSdkError(
      'DESERIALIZATION_FAILED',
      `retry header "${name}": expected ${kind === 'safe' ? 'an integer' : 'a 64-bit integer'}, got ${value === undefined ? 'nothing' : JSON.stringify(value.slice(0, 40))}`,
    );
  }
  return value;
}

const integer = (headers: Readonly<RecordHeaders>, name: string): number =>
  Number(integerText(headers, name, 'safe'));

/**
 * The retry info of a record read from a retry topic, or undefined for a record that was
 * never retried (no attempt header). A malformed header is an error naming it.
 */
export function decodeRetryHeaders(headers: Readonly<RecordHeaders>): RetryInfo | undefined {
  const h = retryHeaderNames;
  if (headerText(headers, h.attempt) === undefined) return undefined;
  const originalTopic = headerText(headers, h.originalTopic);
  if (!originalTopic) {
    throw new KafkaSdkError('DESERIALIZATION_FAILED', `retry header "${h.originalTopic}": missing`);
  }
  return {
    attempt: integer(headers, h.attempt),
    dueAt: integer(headers, h.dueAt),
    firstFailureAt: integer(headers, h.firstFailureAt),
    originalTopic,
    originalPartition: integer(headers, h.originalPartition),
    originalOffset: integerText(headers, h.originalOffset, 'int64'),
    originalTimestamp: integerText(headers, h.originalTimestamp, 'int64'),
  };
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function int64(n: string): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

/**
 * The headers of a dead letter: where the record came from and the error, with the message
 * and stack bounded. `spring` writes Spring Kafka's names and binary encodings (partition
 * as a 4-byte and offset and timestamp as 8-byte big-endian integers) instead.
 */
export function encodeDeadLetterHeaders(
  origin: Pick<
    RetryInfo,
    'originalTopic' | 'originalPartition' | 'originalOffset' | 'originalTimestamp'
  >,
  error: unknown,
  options: { format?: 'sdk' | 'spring'; limits?: ErrorHeaderLimits } = {},
): Record<string, string | Buffer> {
  const limits = options.limits ?? defaultErrorHeaderLimits;
  const err = error instanceof Error ? error : new Error(String(error));
  const message = truncateUtf8(err.message, limits.maxMessageBytes);
  const stack = truncateUtf8(err.stack ?? '', limits.maxStackBytes);
  if (options.format === 'spring') {
    const s = springDltHeaderNames;
    return {
      [s.originalTopic]: origin.originalTopic,
      [s.originalPartition]: int32(origin.originalPartition),
      [s.originalOffset]: int64(origin.originalOffset),
      [s.originalTimestamp]: int64(origin.originalTimestamp),
      [s.exceptionClass]: err.name,
      [s.exceptionMessage]: message,
      [s.exceptionStacktrace]: stack,
    };
  }
  const h = retryHeaderNames;
  return {
    [h.originalTopic]: origin.originalTopic,
    [h.originalPartition]: String(origin.originalPartition),
    [h.originalOffset]: origin.originalOffset,
    [h.originalTimestamp]: origin.originalTimestamp,
    [h.exceptionClass]: err.name,
    [h.exceptionMessage]: message,
    [h.exceptionStacktrace]: stack,
  };
}
