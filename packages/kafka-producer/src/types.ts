import type { IHeaders } from 'kafkajs';

/** One record to send. `value` is already serialised (see @org/kafka-serdes). */
export interface ProducerMessage {
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: IHeaders;
  /** Forces a partition, bypassing the partitioner. */
  readonly partition?: number;
  /** Milliseconds since the epoch, as a string (kafkajs's form); default: now. */
  readonly timestamp?: string;
}

export interface ProducerRecord {
  readonly topic: string;
  readonly messages: readonly ProducerMessage[];
}

export interface ProducerBatch {
  readonly topicMessages: readonly ProducerRecord[];
}

/** Where one record was written. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the record, as a string (offsets exceed 2^53). */
  readonly offset: string;
}
