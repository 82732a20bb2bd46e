import type { IHeaders } from 'kafkajs';
import type { OutageEvidence } from './outage-detector.js';

/** Where one delivery of a record was read from. */
export interface DeliverySource {
  /** The source topic, or `<topic>.retry.<n>` for a retried record. */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** 0 on the source topic, n on `<topic>.retry.<n>`. */
  readonly tier: number;
}

/**
 * A record as a handler sees it. For a retried record, topic, partition, offset and
 * timestamp are the original ones (where it was first published), so a handler treats
 * first deliveries and retries alike; `receivedFrom` says where this delivery came from.
 */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Milliseconds since the epoch, as a string (kafkajs's form). */
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** The record's headers without the SDK's retry headers. */
  readonly headers: IHeaders;
  /** 1 on the first handler call for this record; counts every attempt across retry topics. */
  readonly attempt: number;
  readonly receivedFrom: DeliverySource;
}

/** What a handler gets besides the record(s). */
export interface HandlerContext {
  /** Aborted when the consumer stops past its timeout or the partition is revoked. */
  readonly signal: AbortSignal;
}

export type EachMessageHandler = (record: ConsumedRecord, ctx: HandlerContext) => Promise<void>;
export type EachBatchHandler = (
  records: readonly ConsumedRecord[],
  ctx: HandlerContext,
) => Promise<void>;

/** Outage mode began or ended (the consumer's `outage` event). */
export type OutageChange =
  | {
      readonly state: 'started';
      /** What the failure window held: distinct keys, failed calls, calls, its length. */
      readonly evidence: OutageEvidence;
      /** The failure that started it. */
      readonly error: unknown;
    }
  | { readonly state: 'ended'; readonly durationMs: number; readonly probes: number };

/** The outcome of one record, for `on('record', ...)` listeners and tests. */
export type RecordOutcome =
  | { readonly kind: 'processed'; readonly record: ConsumedRecord }
  | {
      readonly kind: 'retry-scheduled';
      readonly record: ConsumedRecord;
      readonly topic: string;
      readonly dueAt: number;
      readonly error: unknown;
    }
  | {
      readonly kind: 'dead-lettered';
      readonly record: ConsumedRecord;
      readonly topic: string;
      readonly reason: 'exhausted' | 'non-retriable';
      readonly error: unknown;
    };
