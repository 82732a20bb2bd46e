import type { IHeaders } from 'kafkajs';
import {
  encodeDeadLetterHeaders,
  encodeRetryHeaders,
  retryHeaderNames,
  type ErrorHeaderLimits,
  type RetryInfo,
} from './retry-headers.js';
import type { ConsumedRecord } from './types.js';

/** A record ready for the producer: to a retry topic or the dead-letter topic. */
export interface HandOffMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  readonly partition: number;
}

function origin(record: ConsumedRecord) {
  return {
    originalTopic: record.topic,
    originalPartition: record.partition,
    originalOffset: record.offset,
    originalTimestamp: record.timestamp,
  };
}

/**
 * The record to write to a retry topic after `failedAttempts` failed handler calls in all.
 * It keeps the key, value and the record's own headers, goes to the partition number of
 * its source partition (retry topics have at least as many), and says when it is due.
 */
export function retryMessage(
  record: ConsumedRecord,
  retryTopicPartitions: number,
  failedAttempts: number,
  dueAt: number,
  firstFailureAt: number,
): HandOffMessage {
  const info: RetryInfo = { ...origin(record), attempt: failedAttempts, dueAt, firstFailureAt };
  return {
    key: record.key,
    value: record.value,
    headers: { ...record.headers, ...encodeRetryHeaders(info) },
    partition: record.partition % retryTopicPartitions,
  };
}

/** The record to write to the dead-letter topic, with its origin and the error (bounded). */
export function deadLetterMessage(
  record: ConsumedRecord,
  deadLetterPartitions: number,
  failedAttempts: number,
  error: unknown,
  options: { format: 'sdk' | 'spring'; limits: ErrorHeaderLimits },
): HandOffMessage {
  return {
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      ...encodeDeadLetterHeaders(origin(record), error, options),
      [retryHeaderNames.attempt]: String(failedAttempts),
    },
    partition: record.partition % deadLetterPartitions,
  };
}
