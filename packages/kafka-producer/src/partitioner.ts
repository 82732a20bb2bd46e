import type { IHeaders, PartitionerArgs as KafkaJsPartitionerArgs } from 'kafkajs';

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

/** A Partitioner as kafkajs takes it, plus the partition it chose for each record. */
export interface KafkaJsPartitionerBridge {
  /** For kafkajs's `createPartitioner` option. */
  readonly createPartitioner: () => (args: KafkaJsPartitionerArgs) => number;
  /** The partition chosen for a message object, once kafkajs has asked for it. */
  partitionOf(message: object): number | undefined;
}

/**
 * Adapts a Partitioner to kafkajs. An explicit `message.partition` wins, as in every Kafka
 * client. The first partition chosen for a message object sticks: kafkajs runs the
 * partitioner again on every retry, and a record without a key that moved partition
 * between attempts could be written twice.
 */
export function toKafkaJsPartitioner(partitioner: Partitioner): KafkaJsPartitionerBridge {
  const chosen = new WeakMap<object, number>();
  const choose = ({ topic, partitionMetadata, message }: KafkaJsPartitionerArgs): number => {
    const earlier = chosen.get(message);
    if (earlier !== undefined) return earlier;
    const partition =
      message.partition !== undefined && message.partition !== null
        ? message.partition
        : partitioner({
            topic,
            partitionCount: partitionMetadata.length,
            partitions: partitionMetadata,
            message,
          });
    chosen.set(message, partition);
    return partition;
  };
  return { createPartitioner: () => choose, partitionOf: (message) => chosen.get(message) };
}
