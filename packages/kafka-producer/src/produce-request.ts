// The Produce request and response (API key 0), written here rather than taken from kafkajs:
// kafkajs's response parser throws the first partition error and drops every other
// partition's result, and the idempotent path needs each partition's own answer.
import {
  newDecoder,
  newEncoder,
  type KafkaJsDecoder,
  type KafkaJsEncoder,
} from './kafkajs-protocol.js';

export const produceApiKey = 0;

/**
 * Versions this module speaks. v3 is the first with record batches (magic 2), which
 * idempotence needs and Kafka 4 requires; v8 adds per-record errors and an error message.
 * Later versions change nothing the producer uses but the flexible encoding.
 */
export const produceVersions = { min: 3, max: 8 } as const;

/** One partition's record set in a Produce request. */
export interface PartitionRecords {
  readonly topic: string;
  readonly partition: number;
  /** One encoded record batch. */
  readonly records: Buffer;
}

/** One partition's answer in a Produce response. */
export interface PartitionResponse {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
  /** Offset of the batch's first record; -1 when not written or unknown. */
  readonly baseOffset: bigint;
  /** The broker's explanation (v8+), or null. */
  readonly errorMessage: string | null;
}

/** The request body: no transactional id, then acks, timeout and the record sets by topic. */
export function encodeProduceRequest(
  acks: number,
  timeoutMs: number,
  partitions: readonly PartitionRecords[],
): KafkaJsEncoder {
  const byTopic = new Map<string, PartitionRecords[]>();
  for (const p of partitions) {
    let list = byTopic.get(p.topic);
    if (!list) byTopic.set(p.topic, (list = []));
    list.push(p);
  }
  const body = newEncoder().writeString(null).writeInt16(acks).writeInt32(timeoutMs);
  body.writeInt32(byTopic.size);
  for (const [topic, list] of byTopic) {
    body.writeString(topic).writeInt32(list.length);
    for (const p of list) {
      body.writeInt32(p.partition).writeInt32(p.records.length).writeBuffer(p.records);
    }
  }
  return body;
}

function readNullableString(decoder: KafkaJsDecoder): string | null {
  return decoder.readString();
}

/** Every partition's answer, errors included; throws only on a malformed response. */
export function decodeProduceResponse(version: number, payload: Buffer): PartitionResponse[] {
  if (version < produceVersions.min || version > produceVersions.max) {
    throw new RangeError(
      `Produce v${version} is not supported (${produceVersions.min} to ${produceVersions.max})`,
    );
  }
  const decoder = newDecoder(payload);
  const results: PartitionResponse[] = [];
  const topicCount = decoder.readInt32();
  for (let t = 0; t < topicCount; t++) {
    const topic = decoder.readString() ?? '';
    const partitionCount = decoder.readInt32();
    for (let p = 0; p < partitionCount; p++) {
      const partition = decoder.readInt32();
      const errorCode = decoder.readInt16();
      const baseOffset = BigInt(decoder.readInt64().toString());
      decoder.readInt64(); // log_append_time_ms
      if (version >= 5) decoder.readInt64(); // log_start_offset
      let errorMessage: string | null = null;
      if (version >= 8) {
        const recordErrors = decoder.readArray((d) => ({
          index: d.readInt32(),
          message: readNullableString(d),
        }));
        errorMessage = readNullableString(decoder);
        if (recordErrors.length > 0) {
          const detail = recordErrors
            .map((e) => `record ${e.index}${e.message ? `: ${e.message}` : ''}`)
            .join('; ');
          errorMessage = errorMessage ? `${errorMessage} (${detail})` : detail;
        }
      }
      results.push({ topic, partition, errorCode, baseOffset, errorMessage });
    }
  }
  return results;
}
