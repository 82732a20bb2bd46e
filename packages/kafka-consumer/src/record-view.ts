import type { IHeaders, KafkaMessage } from 'kafkajs';
import { decodeRetryHeaders, retryHeaderNames, type RetryInfo } from './retry-headers.js';
import type { ConsumedRecord } from './types.js';

const sdkHeaders: ReadonlySet<string> = new Set(Object.values(retryHeaderNames));

/** The headers a handler sees and a retry carries on: the record's own, without the SDK's. */
export function userHeaders(headers: IHeaders | undefined): IHeaders {
  const result: IHeaders = {};
  if (!headers) return result;
  for (const [name, value] of Object.entries(headers)) {
    if (!sdkHeaders.has(name)) result[name] = value;
  }
  return result;
}

/** Where a delivery was read from, with its tier and source topic. */
export interface ReadFrom {
  readonly topic: string;
  readonly partition: number;
  readonly tier: number;
  /** The source topic (the topic itself at tier 0). */
  readonly source: string;
}

/**
 * The handler's view of a delivered record and, for a retried one, its retry info. Throws
 * a DESERIALIZATION_FAILED error naming the header when a retry record's headers are bad.
 * A record in a retry topic without retry headers (written there by hand) counts as a
 * first attempt of a record of the source topic.
 */
export function consumedRecord(
  message: KafkaMessage,
  from: ReadFrom,
): { record: ConsumedRecord; retry: RetryInfo | undefined } {
  const retry = from.tier === 0 ? undefined : decodeRetryHeaders(message.headers ?? {});
  const record: ConsumedRecord = {
    topic: retry?.originalTopic ?? from.source,
    partition: retry?.originalPartition ?? from.partition,
    offset: retry?.originalOffset ?? message.offset,
    timestamp: retry?.originalTimestamp ?? message.timestamp,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: userHeaders(message.headers),
    attempt: retry ? retry.attempt + 1 : 1,
    receivedFrom: {
      topic: from.topic,
      partition: from.partition,
      offset: message.offset,
      tier: from.tier,
    },
  };
  return { record, retry };
}

/**
 * A retry record whose retry headers do not parse, as the dead-letter topic gets it. None of
 * its retry values can be trusted, so it names where this copy was read (the retry topic,
 * partition and offset) and keeps the record's own headers.
 */
export function unreadableRetryRecord(message: KafkaMessage, from: ReadFrom): ConsumedRecord {
  return {
    topic: from.topic,
    partition: from.partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: userHeaders(message.headers),
    attempt: 1,
    receivedFrom: {
      topic: from.topic,
      partition: from.partition,
      offset: message.offset,
      tier: from.tier,
    },
  };
}
