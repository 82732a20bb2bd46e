// The produce path: records gathered into one batch per partition, batches numbered by
// their partition's sequencer and sent to the partition's leader, up to 5 in flight per
// partition, each answer applied with Kafka's idempotence rules. It owns delivery; kafkajs
// only carries the bytes (see produce-driver.ts).
import { KafkaSdkError, type Logger } from '@org/kafka-core';
import type { IHeaders } from 'kafkajs';
import { compressorFor } from './kafkajs-protocol.js';
import { RecordBatchEncoder } from './record-batch.js';
import {
  ProduceTransportError,
  type OutgoingRecords,
  type ProduceDriver,
} from './produce-driver.js';
import { classifyProduceError, produceErrorMessage } from './produce-errors.js';
import type { PartitionResponse } from './produce-request.js';
import {
  PartitionSequencer,
  maxProducerEpoch,
  unsentBatch,
  type IdentityNeed,
  type ProducerIdentity,
  type SequencedBatch,
} from './partition-sequencer.js';
import { retryBackoffMs } from './retry-backoff.js';
import type { RecordMetadata } from './types.js';

/** Who waits for a record: the producer's pending send. */
export interface RecordOwner {
  /** One of its records was acknowledged. */
  written(index: number, meta: RecordMetadata): void;
  /** One of its records failed; the first call settles the send. */
  failed(error: KafkaSdkError): void;
}

/** One record, its partition already chosen. */
export interface RecordToSend {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers: IHeaders;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly owner: RecordOwner;
  readonly index: number;
}

/** The sender's settings, from the validated producer options. */
export interface SenderSettings {
  /** -1, 1 or 0. */
  readonly acks: number;
  readonly idempotent: boolean;
  /** kafkajs compression type number. */
  readonly compression: number;
  readonly lingerMs: number;
  readonly maxBatchMessages: number;
  readonly maxBatchBytes: number;
  readonly requestTimeoutMs: number;
}

/**
 * Requests in flight to one broker. Two keep it busy (one being handled, the next waiting
 * on the connection) while the records arriving meanwhile gather into larger batches.
 */
export const maxInFlightRequestsPerBroker = 2;

/** Producer id -1: the broker keeps no idempotence state for such batches. */
const noIdentity: ProducerIdentity = { producerId: -1n, producerEpoch: -1 };

interface OutgoingBatch extends SequencedBatch {
  readonly queue: PartitionQueue;
  /** Each record with its owner; the order is the batch's offset order. */
  readonly records: RecordToSend[];
  /** The records encoded (and compressed) once, at the first send. */
  encoder: Promise<RecordBatchEncoder> | undefined;
}

interface OpenBatch {
  readonly createdAt: number;
  readonly deadline: number;
  readonly records: RecordToSend[];
  bytes: number;
}

interface PartitionQueue {
  readonly topic: string;
  readonly partition: number;
  readonly sequencer: PartitionSequencer<OutgoingBatch>;
  open: OpenBatch | undefined;
  /** A new producer id is being fetched for it. */
  identityPending: boolean;
}

function sizeOf(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

function headerBytes(headers: IHeaders): number {
  let n = 0;
  for (const key in headers) {
    const v = headers[key];
    n += key.length + 2;
    if (Array.isArray(v)) for (const x of v) n += sizeOf(x) + 2;
    else n += sizeOf(v);
  }
  return n;
}

/** Gathers, numbers, sends and retries records until each is acknowledged or fails. */
export class RecordSender {
  private readonly queues = new Map<string, PartitionQueue[]>();
  private producerIdentity: ProducerIdentity | undefined;
  private pumpScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private flushing = 0;
  private refreshing: Promise<void> | undefined;
  private lastRefresh = 0;
  private closed = false;
  /** Per broker, requests sent and not yet answered. */
  private readonly requestsInFlight = new Map<number, number>();
  /** Per broker, the tail of the chain that keeps its requests in the order they were built. */
  private readonly brokerTails = new Map<number, Promise<void>>();

  constructor(
    private readonly driver: ProduceDriver,
    private readonly settings: SenderSettings,
    private readonly logger: Logger,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {
    this.compress = compressorFor(settings.compression);
  }

  private readonly compress: ((records: Buffer) => Promise<Buffer>) | undefined;

  /** Fetches the producer id every partition starts with (idempotent producers only). */
  async start(): Promise<void> {
    this.producerIdentity = this.settings.idempotent
      ? await this.driver.initProducerId()
      : noIdentity;
  }

  /** Adds a record to its partition's open batch; `deadline` is its delivery timeout. */
  add(topic: string, partition: number, record: RecordToSend, deadline: number): void {
    const queue = this.queueOf(topic, partition);
    const bytes = sizeOf(record.key) + sizeOf(record.value) + headerBytes(record.headers) + 24;
    let open = queue.open;
    if (
      open &&
      (open.records.length >= this.settings.maxBatchMessages ||
        open.bytes + bytes > this.settings.maxBatchBytes)
    ) {
      this.seal(queue);
      open = undefined;
    }
    if (!open) {
      open = { createdAt: this.now(), deadline, records: [], bytes: 0 };
      queue.open = open;
    }
    open.records.push(record);
    open.bytes += bytes;
    this.schedulePump();
  }

  /** Sends every open batch without waiting for its linger. Call `endFlush` after. */
  beginFlush(): void {
    this.flushing += 1;
    this.schedulePump();
  }

  endFlush(): void {
    this.flushing -= 1;
  }

  /** Stops timers; records still pending are failed with `error`. */
  close(error: KafkaSdkError): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const list of this.queues.values()) {
      for (const queue of list) {
        if (!queue) continue;
        for (const r of queue.open?.records ?? []) r.owner.failed(error);
        queue.open = undefined;
        for (const b of queue.sequencer.unsettled()) this.failBatch(b, error);
      }
    }
  }

  private queueOf(topic: string, partition: number): PartitionQueue {
    let list = this.queues.get(topic);
    if (!list) this.queues.set(topic, (list = []));
    let queue = list[partition];
    if (!queue) {
      queue = {
        topic,
        partition,
        sequencer: new PartitionSequencer<OutgoingBatch>(this.producerIdentity),
        open: undefined,
        identityPending: false,
      };
      list[partition] = queue;
    }
    return queue;
  }

  private seal(queue: PartitionQueue): void {
    const open = queue.open;
    if (!open) return;
    queue.open = undefined;
    const batch: OutgoingBatch = {
      ...unsentBatch(open.records.length, open.deadline),
      queue,
      records: open.records,
      encoder: undefined,
    };
    queue.sequencer.append(batch);
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = true;
    // After the current turn: sends started together (a loop of send() calls, sendBatch)
    // share their batches.
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private wakeAt(at: number): void {
    if (this.closed || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
      Math.max(0, at - this.now()),
    );
  }

  /**
   * One round: expire, seal what is ready, take new identities, send what may go.
   *
   * A broker works through one connection's requests one at a time and answers an acks=all
   * produce only once the followers have the records, so many small requests queue behind
   * each other. Each broker gets at most `maxInFlightRequestsPerBroker` requests; while it
   * has them, its partitions' open batches keep filling (up to the batch limits) instead of
   * being sealed at the end of their linger, and go out together when an answer comes back.
   */
  private pump(): void {
    if (this.closed) return;
    const now = this.now();
    let wake = Infinity;
    let needMetadata = false;
    const byLeader = new Map<number, PartitionQueue[]>();
    for (const list of this.queues.values()) {
      for (const queue of list) {
        if (!queue) continue;
        this.expire(queue, now);
        const leader = this.leaderOf(queue);
        const open = queue.open;
        if (open) {
          const brokerFree =
            leader >= 0 && (this.requestsInFlight.get(leader) ?? 0) < maxInFlightRequestsPerBroker;
          const lingerEnd = open.createdAt + this.settings.lingerMs;
          // An idle partition sends at once; a busy one lets its next batch fill for the linger.
          const ready = queue.sequencer.size === 0 || now >= lingerEnd;
          if (this.flushing > 0 || (ready && brokerFree)) this.seal(queue);
          else if (!ready) wake = Math.min(wake, lingerEnd);
        }
        if (queue.sequencer.size === 0) continue;
        const deadline = queue.sequencer.nextDeadline();
        if (deadline !== undefined) wake = Math.min(wake, deadline);
        const need = queue.sequencer.identityNeeded();
        if (need !== undefined) this.renewIdentity(queue, need);
        if (leader < 0) {
          needMetadata = true;
          continue;
        }
        let queues = byLeader.get(leader);
        if (!queues) byLeader.set(leader, (queues = []));
        queues.push(queue);
        const readyAt = queue.sequencer.readyAt();
        if (readyAt > now) wake = Math.min(wake, readyAt);
      }
    }
    for (const [leader, queues] of byLeader) {
      // Each request carries at most one batch per partition (the broker's rule for
      // idempotent batches).
      while ((this.requestsInFlight.get(leader) ?? 0) < maxInFlightRequestsPerBroker) {
        const batches: OutgoingBatch[] = [];
        for (const queue of queues) {
          const batch = queue.sequencer.next(now);
          if (batch) batches.push(batch);
        }
        if (batches.length === 0) break;
        this.dispatch(leader, batches);
      }
    }
    if (needMetadata) wake = Math.min(wake, this.refreshMetadata(now));
    if (wake < Infinity) this.wakeAt(wake);
  }

  private expire(queue: PartitionQueue, now: number): void {
    const open = queue.open;
    if (open && open.deadline <= now) {
      queue.open = undefined;
      const error = this.timeoutError(queue);
      for (const r of open.records) r.owner.failed(error);
    }
    for (const batch of queue.sequencer.expire(now))
      this.failBatch(batch, this.timeoutError(queue));
  }

  private timeoutError(queue: PartitionQueue): KafkaSdkError {
    return new KafkaSdkError(
      'DELIVERY_TIMEOUT',
      `Not acknowledged within the delivery timeout (${queue.topic} partition ${queue.partition}): the records may or may not have been written`,
      { retriable: true },
    );
  }

  private leaderOf(queue: PartitionQueue): number {
    const partitions = this.driver.partitionsOf(queue.topic);
    const info = partitions?.[queue.partition];
    if (info?.partitionId === queue.partition) return info.leader;
    return partitions?.find((p) => p.partitionId === queue.partition)?.leader ?? -1;
  }

  /** Refreshes metadata, at most every 100 ms; returns when the next pump should look again. */
  private refreshMetadata(now: number): number {
    if (this.refreshing) return Infinity;
    const earliest = this.lastRefresh + 100;
    if (now < earliest) return earliest;
    this.lastRefresh = now;
    this.refreshing = this.driver
      .refreshMetadata()
      .catch((err: unknown) => {
        this.logger.debug('producer metadata refresh failed; retrying', {
          error: (err as Error).message,
        });
      })
      .finally(() => {
        this.refreshing = undefined;
        this.pump();
      });
    return Infinity;
  }

  private renewIdentity(queue: PartitionQueue, need: IdentityNeed): void {
    if (queue.identityPending) return;
    if (!this.settings.idempotent) {
      queue.sequencer.resetIdentity(noIdentity);
      return;
    }
    const current = queue.sequencer.currentIdentity();
    if (current === undefined && this.producerIdentity !== undefined) {
      queue.sequencer.resetIdentity(this.producerIdentity);
      return;
    }
    if (
      need === 'bump-epoch' &&
      current !== undefined &&
      current.producerEpoch < maxProducerEpoch
    ) {
      // KIP-360: an idempotent producer bumps its epoch itself; the broker takes the new epoch
      // at sequence 0 and refuses the old one from then on.
      const next = { producerId: current.producerId, producerEpoch: current.producerEpoch + 1 };
      this.logger.warn('producer takes a new epoch for a partition whose sequence was broken', {
        topic: queue.topic,
        partition: queue.partition,
        producerId: String(next.producerId),
        epoch: next.producerEpoch,
      });
      queue.sequencer.resetIdentity(next);
      return;
    }
    queue.identityPending = true;
    this.driver
      .initProducerId()
      .then((identity) => {
        this.logger.warn('producer takes a new producer id for a partition', {
          topic: queue.topic,
          partition: queue.partition,
          producerId: String(identity.producerId),
        });
        queue.sequencer.resetIdentity(identity);
      })
      .catch((err: unknown) => {
        this.logger.warn('producer could not get a new producer id; retrying', {
          error: (err as Error).message,
        });
      })
      .finally(() => {
        queue.identityPending = false;
        this.wakeAt(this.now() + 100);
      });
  }

  private async encode(batch: OutgoingBatch): Promise<OutgoingRecords> {
    const identity = batch.identity ?? noIdentity;
    const baseSequence = identity.producerId < 0n ? -1 : batch.baseSequence;
    batch.encoder ??= RecordBatchEncoder.encode(
      batch.records,
      this.settings.compression,
      this.compress,
    );
    const encoded = (await batch.encoder).withIdentity({
      producerId: identity.producerId,
      producerEpoch: identity.producerEpoch,
      baseSequence,
    });
    return {
      topic: batch.queue.topic,
      partition: batch.queue.partition,
      identity,
      baseSequence,
      recordCount: batch.recordCount,
      records: encoded,
    };
  }

  private dispatch(leader: number, batches: OutgoingBatch[]): void {
    this.requestsInFlight.set(leader, (this.requestsInFlight.get(leader) ?? 0) + 1);
    const previous = this.brokerTails.get(leader) ?? Promise.resolve();
    let sent!: () => void;
    const tail = new Promise<void>((resolve) => (sent = resolve));
    this.brokerTails.set(leader, tail);
    void previous
      .then(async () => {
        let outgoing: OutgoingRecords[];
        try {
          outgoing = await Promise.all(batches.map((b) => this.encode(b)));
        } catch (err) {
          sent();
          const error = new KafkaSdkError(
            'SEND_FAILED',
            `Encoding a record batch failed: ${(err as Error).message}`,
            {
              cause: err,
            },
          );
          for (const b of batches) this.apply(b, { kind: 'failed' }, error);
          return;
        }
        const request = this.driver.produce(
          leader,
          this.settings.acks,
          this.settings.requestTimeoutMs,
          outgoing,
        );
        // The next request to this broker may be built now: this one is on its way.
        sent();
        try {
          this.answered(batches, await request);
        } catch (err) {
          this.unanswered(leader, batches, err);
        }
      })
      .finally(() => {
        if (this.brokerTails.get(leader) === tail) this.brokerTails.delete(leader);
        this.requestsInFlight.set(leader, (this.requestsInFlight.get(leader) ?? 1) - 1);
        this.pump();
      });
  }

  private answered(
    batches: readonly OutgoingBatch[],
    responses: readonly PartitionResponse[],
  ): void {
    let refresh = false;
    for (const batch of batches) {
      if (this.settings.acks === 0) {
        this.apply(batch, { kind: 'written' }, undefined, -1n);
        continue;
      }
      const response = responses.find(
        (r) => r.partition === batch.queue.partition && r.topic === batch.queue.topic,
      );
      if (!response) {
        this.apply(batch, { kind: 'retry', maybeWritten: true });
        continue;
      }
      const classified = classifyProduceError(response.errorCode);
      refresh ||= classified.refreshMetadata;
      const answer = classified.answer;
      if (answer.kind === 'sequence-rejected' || answer.kind === 'fenced') {
        this.logger.warn(`producer batch refused with ${classified.type}; resolving its sequence`, {
          topic: batch.queue.topic,
          partition: batch.queue.partition,
          producerId: String(batch.identity?.producerId),
          epoch: batch.identity?.producerEpoch,
          baseSequence: batch.baseSequence,
        });
      } else if (answer.kind === 'retry') {
        this.logger.debug(`producer batch will be retried after ${classified.type}`, {
          topic: batch.queue.topic,
          partition: batch.queue.partition,
        });
      }
      const error =
        answer.kind === 'failed'
          ? new KafkaSdkError(
              'SEND_FAILED',
              `${batch.queue.topic} partition ${batch.queue.partition}: ${classified.type}: ${response.errorMessage ?? produceErrorMessage(response.errorCode)}${batch.maybeWritten ? ' (an earlier attempt may have been written)' : ''}`,
            )
          : undefined;
      this.apply(batch, answer, error, response.baseOffset);
    }
    if (refresh) this.refreshMetadata(this.now());
  }

  private unanswered(leader: number, batches: readonly OutgoingBatch[], err: unknown): void {
    const sent = !(err instanceof ProduceTransportError) || err.sent;
    this.logger.debug('producer request got no answer; retrying', {
      broker: leader,
      error: (err as Error).message,
    });
    for (const b of batches) this.apply(b, { kind: 'retry', maybeWritten: sent });
    this.refreshMetadata(this.now());
  }

  private apply(
    batch: OutgoingBatch,
    answer: Parameters<PartitionSequencer<OutgoingBatch>['answer']>[1],
    error?: KafkaSdkError,
    baseOffset = -1n,
  ): void {
    const outcome = batch.queue.sequencer.answer(batch, answer, this.now(), (n) =>
      retryBackoffMs(n, this.random),
    );
    if (outcome === 'written') {
      const { topic, partition } = batch.queue;
      batch.records.forEach(({ owner, index }, i) => {
        const offset = baseOffset < 0n ? '-1' : String(baseOffset + BigInt(i));
        owner.written(index, { topic, partition, offset });
      });
    } else if (outcome === 'failed') {
      this.failBatch(
        batch,
        error ?? new KafkaSdkError('SEND_FAILED', 'The broker refused the batch'),
      );
    }
  }

  private failBatch(batch: OutgoingBatch, error: KafkaSdkError): void {
    for (const { owner } of batch.records) owner.failed(error);
  }
}
