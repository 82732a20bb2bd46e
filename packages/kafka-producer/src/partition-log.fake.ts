// A partition log that keeps the broker's idempotence rules (Kafka 4's ProducerStateManager:
// per producer id the epoch, the last sequence and the last 5 batches for duplicate
// detection), for unit tests of the produce path without a broker.
import { nextSequence } from './partition-sequencer.js';

/** One record in the fake log, with the numbers of the batch that wrote it. */
export interface LoggedRecord {
  readonly value: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
}

interface CachedBatch {
  readonly baseSequence: number;
  readonly lastSequence: number;
  readonly baseOffset: bigint;
}

interface ProducerEntry {
  epoch: number;
  lastSequence: number;
  readonly batches: CachedBatch[];
}

/** Kafka error codes the log answers with. */
export const logErrors = {
  none: 0,
  outOfOrderSequence: 45,
  invalidProducerEpoch: 47,
} as const;

/** A partition's log with Kafka's producer-state checks. */
export class FakePartitionLog {
  readonly records: LoggedRecord[] = [];
  private readonly producers = new Map<bigint, ProducerEntry>();

  /** Appends a batch as the partition leader would; returns the error code and base offset. */
  append(
    producerId: bigint,
    producerEpoch: number,
    baseSequence: number,
    values: readonly string[],
  ): { errorCode: number; baseOffset: bigint } {
    const baseOffset = BigInt(this.records.length);
    const write = () => {
      for (const value of values) {
        this.records.push({ value, producerId, producerEpoch, baseSequence });
      }
      return { errorCode: logErrors.none, baseOffset };
    };
    if (producerId < 0n) return write();
    const lastSequence = nextSequence(baseSequence, values.length - 1);
    const entry = this.producers.get(producerId);
    if (entry) {
      if (producerEpoch < entry.epoch)
        return { errorCode: logErrors.invalidProducerEpoch, baseOffset: -1n };
      if (producerEpoch === entry.epoch) {
        const duplicate = entry.batches.find(
          (b) => b.baseSequence === baseSequence && b.lastSequence === lastSequence,
        );
        if (duplicate) return { errorCode: logErrors.none, baseOffset: duplicate.baseOffset };
        if (baseSequence !== nextSequence(entry.lastSequence, 1)) {
          return { errorCode: logErrors.outOfOrderSequence, baseOffset: -1n };
        }
      } else if (baseSequence !== 0) {
        // A new epoch starts at sequence 0.
        return { errorCode: logErrors.outOfOrderSequence, baseOffset: -1n };
      }
    }
    // No state for this producer id (KIP-360 brokers accept it at any sequence).
    const result = write();
    const updated: ProducerEntry =
      entry && entry.epoch === producerEpoch
        ? entry
        : { epoch: producerEpoch, lastSequence, batches: [] };
    updated.lastSequence = lastSequence;
    updated.batches.push({ baseSequence, lastSequence, baseOffset });
    if (updated.batches.length > 5) updated.batches.shift();
    this.producers.set(producerId, updated);
    return result;
  }

  /** Values written more than once, with how often. */
  duplicates(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.records) counts.set(r.value, (counts.get(r.value) ?? 0) + 1);
    for (const [value, n] of counts) if (n === 1) counts.delete(value);
    return counts;
  }
}
