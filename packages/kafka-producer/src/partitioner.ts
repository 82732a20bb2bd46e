import type { IHeaders } from 'kafkajs';

/** A record as the partitioner sees it. */
export interface PartitionerMessage {
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: IHeaders;
  readonly partition?: number;
}

/** One partition of the topic in the client's current metadata. */
export interface PartitionInfo {
  readonly partitionId: number;
  /** The leader's broker id; -1 while the partition has no leader. */
  readonly leader: number;
}

/** What a partitioner is given for one record. */
export interface PartitionerArgs {
  readonly topic: string;
  /** All partitions of the topic, with or without a leader. */
  readonly partitionCount: number;
  readonly partitions: readonly PartitionInfo[];
  readonly message: PartitionerMessage;
}

/**
 * Picks the partition of one record: an integer in [0, partitionCount). Called on the send
 * path for every record, so it must be cheap and must not throw for valid input.
 */
export type Partitioner = (args: PartitionerArgs) => number;
