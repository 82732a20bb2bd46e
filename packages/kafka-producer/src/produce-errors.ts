// What each Produce error code means for the batch it answers: the one owner of that rule.
import { kafkaErrorInfo } from './kafkajs-protocol.js';
import type { BatchAnswer } from './partition-sequencer.js';

/** The classification of one partition's answer. */
export interface ClassifiedAnswer {
  readonly answer: BatchAnswer;
  /** The client's metadata may be stale (the leader moved): refresh before retrying. */
  readonly refreshMetadata: boolean;
  /** Kafka's name for the code (`NOT_LEADER_OR_FOLLOWER`), or `NONE`. */
  readonly type: string;
}

// Refused before anything was appended: the batch is certainly not in the log.
const notWritten = new Set([
  3, // UNKNOWN_TOPIC_OR_PARTITION
  5, // LEADER_NOT_AVAILABLE
  6, // NOT_LEADER_OR_FOLLOWER
  19, // NOT_ENOUGH_REPLICAS (checked before the append)
  74, // FENCED_LEADER_EPOCH
  75, // UNKNOWN_LEADER_EPOCH
]);

// The leader may have moved or be unreachable: ask for fresh metadata.
const staleMetadata = new Set([3, 5, 6, 13, 56, 74, 75]);

const written = new Set([
  0, // NONE
  46, // DUPLICATE_SEQUENCE_NUMBER: the broker already has this batch
]);

const sequenceRejected = new Set([
  45, // OUT_OF_ORDER_SEQUENCE_NUMBER
  59, // UNKNOWN_PRODUCER_ID
]);

const fenced = new Set([
  47, // INVALID_PRODUCER_EPOCH
  90, // PRODUCER_FENCED
]);

/** Classifies a Produce error code for one batch (KIP-98 and KIP-360 rules). */
export function classifyProduceError(code: number): ClassifiedAnswer {
  const info = kafkaErrorInfo(code);
  const type = code === 0 ? 'NONE' : info.type;
  const refreshMetadata = staleMetadata.has(code);
  if (written.has(code)) return { answer: { kind: 'written' }, refreshMetadata, type };
  if (sequenceRejected.has(code)) {
    return { answer: { kind: 'sequence-rejected' }, refreshMetadata, type };
  }
  if (fenced.has(code)) return { answer: { kind: 'fenced' }, refreshMetadata, type };
  if (notWritten.has(code)) {
    return { answer: { kind: 'retry', maybeWritten: false }, refreshMetadata, type };
  }
  // Any other retriable code (REQUEST_TIMED_OUT, NOT_ENOUGH_REPLICAS_AFTER_APPEND, ...) may
  // follow an append: the retry carries the same numbers, so the broker drops a copy.
  if (info.retriable) {
    return { answer: { kind: 'retry', maybeWritten: true }, refreshMetadata, type };
  }
  return { answer: { kind: 'failed' }, refreshMetadata, type };
}

/** Kafka's description of an error code. */
export function produceErrorMessage(code: number): string {
  return kafkaErrorInfo(code).message;
}
