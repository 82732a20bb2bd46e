// The narrow seam between the produce path and the network: metadata, producer ids and
// Produce requests to one broker. kafkajs implements it (kafkajs-produce-driver.ts); unit
// tests implement it with fake brokers that keep Kafka's producer-state rules.
import type { PartitionInfo } from './partitioner.js';
import type { PartitionResponse } from './produce-request.js';
import type { ProducerIdentity } from './partition-sequencer.js';

/** One partition's batch in a Produce request, with the numbers encoded in its header. */
export interface OutgoingRecords {
  readonly topic: string;
  readonly partition: number;
  readonly identity: ProducerIdentity;
  readonly baseSequence: number;
  readonly recordCount: number;
  /** The encoded record batch. */
  readonly records: Buffer;
}

/** The network as the produce path sees it. */
export interface ProduceDriver {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Makes sure the metadata of these topics is loaded (fetched once, then cached). */
  loadTopics(topics: readonly string[]): Promise<void>;
  /** The partitions of a loaded topic with their leaders; undefined if not loaded. */
  partitionsOf(topic: string): readonly PartitionInfo[] | undefined;
  /** Fetches fresh metadata for every loaded topic. */
  refreshMetadata(): Promise<void>;
  /** A new producer id and epoch from the cluster. */
  initProducerId(): Promise<ProducerIdentity>;
  /**
   * Sends one Produce request to a broker and returns every partition's answer (none with
   * acks=0). Rejects when no answer came (connection lost, request timeout); `sent` on the
   * error says whether the request may have reached the broker.
   */
  produce(
    brokerId: number,
    acks: number,
    timeoutMs: number,
    batches: readonly OutgoingRecords[],
  ): Promise<PartitionResponse[]>;
}

/** A request that got no answer; `sent` is false when it never left this process. */
export class ProduceTransportError extends Error {
  constructor(
    message: string,
    readonly sent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProduceTransportError';
  }
}
