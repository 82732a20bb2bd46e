// Brokers for unit tests of the produce path: partition logs with Kafka's producer-state
// rules, leaders that can move, and a hook that decides each request's fate (hold it, lose
// it, lose its answer, refuse a partition). Seen through our ProduceDriver and, for the
// comparison with kafkajs's own produce path, through the shape of kafkajs's cluster.
import { FakePartitionLog } from './partition-log.fake.js';
import {
  ProduceTransportError,
  type OutgoingRecords,
  type ProduceDriver,
} from './produce-driver.js';
import type { PartitionResponse } from './produce-request.js';
import type { ProducerIdentity } from './partition-sequencer.js';
import type { PartitionInfo } from './partitioner.js';
import type { SenderSettings } from './record-sender.js';

/** Sender settings for tests: the producer's defaults, no compression. */
export const testSenderSettings: SenderSettings = {
  acks: -1,
  idempotent: true,
  compression: 0,
  lingerMs: 5,
  maxBatchMessages: 1000,
  maxBatchBytes: 1 << 20,
  requestTimeoutMs: 30_000,
};

/** One partition's batch as a fake broker receives it. */
export interface ReceivedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly values: readonly string[];
}

/** What happens to one request, decided by the test. */
export interface RequestFate {
  /** Resolves when the broker may handle it (a slow or frozen broker). */
  readonly hold?: Promise<void>;
  /** `lost`: never reaches the broker; `answer-lost`: written, no answer. */
  readonly transport?: 'lost' | 'answer-lost';
  /** Error codes to answer for some partitions instead of appending. */
  readonly refuse?: ReadonlyMap<number, number>;
}

/** Decides the fate of the `call`-th request (from 1) to `brokerId`. */
export type FateHook = (
  brokerId: number,
  call: number,
  batches: readonly ReceivedBatch[],
) => RequestFate;

/** A topic's partitions, leaders and logs, shared by the fake drivers. */
export class FakeCluster {
  readonly logs: FakePartitionLog[];
  private nextProducerId = 1000n;
  private readonly calls = new Map<number, number>();
  /** Every batch put on the wire to any broker (lost ones too), in order. */
  readonly sent: ReceivedBatch[] = [];

  constructor(
    readonly topic: string,
    readonly leaders: number[],
    private readonly fate: FateHook = () => ({}),
  ) {
    this.logs = leaders.map(() => new FakePartitionLog());
  }

  newProducerId(): ProducerIdentity {
    return { producerId: this.nextProducerId++, producerEpoch: 0 };
  }

  /** Handles one request the way a leader would, after the test's hook had its say. */
  async handle(brokerId: number, batches: readonly ReceivedBatch[]): Promise<PartitionResponse[]> {
    const call = (this.calls.get(brokerId) ?? 0) + 1;
    this.calls.set(brokerId, call);
    this.sent.push(...batches);
    const fate = this.fate(brokerId, call, batches);
    if (fate.hold) await fate.hold;
    if (fate.transport === 'lost')
      throw new ProduceTransportError(`request to ${brokerId} lost`, true);
    const answers = batches.map((b): PartitionResponse => {
      const refused = fate.refuse?.get(b.partition);
      if (refused !== undefined || this.leaders[b.partition] !== brokerId) {
        return {
          topic: b.topic,
          partition: b.partition,
          errorCode: refused ?? 6,
          baseOffset: -1n,
          errorMessage: null,
        };
      }
      const { errorCode, baseOffset } = this.logs[b.partition]!.append(
        b.producerId,
        b.producerEpoch,
        b.baseSequence,
        b.values,
      );
      return { topic: b.topic, partition: b.partition, errorCode, baseOffset, errorMessage: null };
    });
    if (fate.transport === 'answer-lost')
      throw new ProduceTransportError(`answer from ${brokerId} lost`, true);
    return answers;
  }

  partitions(): PartitionInfo[] {
    return this.leaders.map((leader, partitionId) => ({ partitionId, leader }));
  }
}

/**
 * Reads the values out of an encoded record batch: uncompressed batches only, which is
 * what the tests send. Offsets per the record batch v2 layout (61-byte header).
 */
export function decodeValues(records: Buffer): string[] {
  const count = records.readInt32BE(57);
  const values: string[] = [];
  let offset = 61;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = records[offset++]!;
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
    }
    return (result >>> 1) ^ -(result & 1);
  };
  for (let i = 0; i < count; i++) {
    const length = varint();
    const end = offset + length;
    offset += 1; // attributes
    varint(); // timestamp delta (small in tests)
    varint(); // offset delta
    const keyLength = varint();
    if (keyLength > 0) offset += keyLength;
    const valueLength = varint();
    values.push(records.subarray(offset, offset + valueLength).toString());
    offset = end;
  }
  return values;
}

/** Our ProduceDriver over a FakeCluster. */
export class FakeProduceDriver implements ProduceDriver {
  constructor(private readonly cluster: FakeCluster) {}

  connect(): Promise<void> {
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    return Promise.resolve();
  }

  loadTopics(): Promise<void> {
    return Promise.resolve();
  }

  partitionsOf(topic: string): readonly PartitionInfo[] | undefined {
    return topic === this.cluster.topic ? this.cluster.partitions() : undefined;
  }

  refreshMetadata(): Promise<void> {
    return Promise.resolve();
  }

  initProducerId(): Promise<ProducerIdentity> {
    return Promise.resolve(this.cluster.newProducerId());
  }

  produce(
    brokerId: number,
    _acks: number,
    _timeoutMs: number,
    batches: readonly OutgoingRecords[],
  ): Promise<PartitionResponse[]> {
    return this.cluster.handle(
      brokerId,
      batches.map((b) => ({
        topic: b.topic,
        partition: b.partition,
        producerId: b.identity.producerId,
        producerEpoch: b.identity.producerEpoch,
        baseSequence: b.baseSequence,
        values: decodeValues(b.records),
      })),
    );
  }
}
