import {
  KafkaSdkError,
  metadataCatchUp,
  whileMetadataCatchesUp,
  type CatchUpWait,
} from '@org/kafka-core';
import type { Admin } from 'kafkajs';

/** The part of the kafkajs admin client that reads a topic's offsets. */
export type OffsetsAdmin = Pick<Admin, 'fetchTopicOffsets' | 'fetchTopicMetadata'>;

/** One partition's log start (`low`) and log end (`high`), as kafkajs gives them. */
export interface PartitionLogOffsets {
  readonly partition: number;
  readonly high: string;
  readonly low: string;
}

/**
 * The log start and end offsets of every partition of `topic`. Right after a topic is created
 * (a consumer's retry topics, say), the broker asked may not know its partitions yet: kafkajs
 * then fails with a TypeError (`Cannot destructure property 'partitions' of 'low.pop(...)'`)
 * or Kafka with a retriable error. Either is waited out (metadata refreshed, 100 ms doubling
 * to 1 s, up to `wait.ms` in all) before the round fails with LAG_MONITOR_OFFSETS_FAILED: a
 * new topic must not turn lag reporting off, nor may a lasting fault pass unseen.
 */
export async function logEndOffsets(
  admin: OffsetsAdmin,
  topic: string,
  wait: CatchUpWait = metadataCatchUp,
): Promise<PartitionLogOffsets[]> {
  try {
    return await whileMetadataCatchesUp(async () => {
      try {
        return await admin.fetchTopicOffsets(topic);
      } catch (err) {
        if (!(err instanceof TypeError)) throw err;
        await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
        throw Object.assign(
          new Error(`the metadata of "${topic}" is not complete yet (${err.message})`),
          {
            retriable: true,
            cause: err,
          },
        );
      }
    }, wait);
  } catch (err) {
    throw new KafkaSdkError(
      'LAG_MONITOR_OFFSETS_FAILED',
      `cannot read the log-end offsets of "${topic}": ${(err as Error).message}`,
      { cause: err, retriable: true },
    );
  }
}
