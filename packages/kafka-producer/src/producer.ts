import type { Span } from '@opentelemetry/api';
import {
  ConfigError,
  KafkaSdkError,
  compressionType,
  connectClient,
  createKafkaJsClient,
  injectTraceContext,
  jsonLogger,
  assertCompressionAvailable,
  registerCompressionCodecs,
  warnOnce,
  type Logger,
  type RecordHeaders,
} from '@org/kafka-core';
import { kafkaJsProduceDriver } from './kafkajs-produce-driver.js';
import {
  resolveProducerOptions,
  type ProducerOptions,
  type ResolvedProducerOptions,
} from './options.js';
import type { PartitionInfo } from './partitioner.js';
import type { ProduceDriver } from './produce-driver.js';
import { ProducerTelemetry } from './producer-telemetry.js';
import { retryBackoffMs } from './retry-backoff.js';
import { RecordSender, type RecordOwner } from './record-sender.js';
import type { ProducerBatch, ProducerMessage, ProducerRecord, RecordMetadata } from './types.js';

/** A producer that is safe by default. Create it with `createProducer`. */
export interface SafeProducer {
  /** Connects to the cluster; sends before this are refused. */
  connect(): Promise<void>;
  /** Sends records of one topic; resolves when every record is acknowledged (acks=all). */
  send(record: ProducerRecord): Promise<RecordMetadata[]>;
  /** Sends records of several topics; resolves when every record is acknowledged. */
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]>;
  /** Resolves when every record accepted so far is acknowledged or has failed. */
  flush(): Promise<void>;
  /** Refuses new sends, flushes what was accepted, then disconnects. Idempotent. */
  disconnect(): Promise<void>;
  /** The validated options (credentials redacted). */
  readonly options: ResolvedProducerOptions;
}

function checkRecord(record: ProducerRecord, path: string): void {
  const issues = [];
  if (typeof record?.topic !== 'string' || record.topic.length === 0) {
    issues.push({ path: `${path}topic`, message: 'expected a non-empty string' });
  }
  // Array.isArray on a readonly array narrows to any[]; test an unknown, keep the typed one.
  const given: unknown = record?.messages;
  const messages: readonly ProducerMessage[] = record?.messages ?? [];
  if (!Array.isArray(given) || messages.length === 0) {
    issues.push({ path: `${path}messages`, message: 'expected a non-empty array' });
  } else {
    for (const [i, m] of messages.entries()) {
      const v = m?.value;
      if (v !== null && typeof v !== 'string' && !Buffer.isBuffer(v)) {
        issues.push({
          path: `${path}messages[${i}].value`,
          message: 'expected a string, Buffer or null (serialise it first)',
        });
      }
      const t = m?.timestamp;
      if (t !== undefined && (typeof t !== 'string' || !/^\d{1,15}$/.test(t))) {
        issues.push({
          path: `${path}messages[${i}].timestamp`,
          message: 'expected milliseconds since the epoch as a string of digits',
        });
      }
      const k = m?.key;
      if (k !== undefined && k !== null && typeof k !== 'string' && !Buffer.isBuffer(k)) {
        issues.push({
          path: `${path}messages[${i}].key`,
          message: 'expected a string, Buffer or null',
        });
      }
    }
  }
  if (issues.length > 0) throw new ConfigError('send', issues);
}

/** How long a send waits for an unknown topic to appear in the metadata (Java: max.block.ms). */
export const topicMetadataWaitMs = 60_000;

/** One send() call: its span, its records' outcomes, its promise. */
class PendingSend implements RecordOwner {
  private readonly results: RecordMetadata[];
  private remaining: number;
  settled = false;

  constructor(
    readonly topic: string,
    readonly count: number,
    readonly span: Span,
    readonly startedAt: number,
    private readonly done: (send: PendingSend, outcome: RecordMetadata[] | Error) => void,
  ) {
    this.results = new Array<RecordMetadata>(count);
    this.remaining = count;
  }

  written(index: number, meta: RecordMetadata): void {
    if (this.settled) return;
    this.results[index] = meta;
    this.remaining -= 1;
    if (this.remaining === 0) {
      this.settled = true;
      this.done(this, this.results);
    }
  }

  failed(error: KafkaSdkError): void {
    if (this.settled) return;
    this.settled = true;
    this.done(this, error);
  }
}

function checkPartition(
  partition: number,
  partitions: readonly PartitionInfo[],
  path: string,
): void {
  if (!Number.isInteger(partition) || partition < 0 || partition >= partitions.length) {
    throw new KafkaSdkError(
      'PARTITIONER_FAILED',
      `${path}: partition ${partition} does not exist (the topic has ${partitions.length} partitions)`,
    );
  }
}

class Producer implements SafeProducer {
  readonly options: ResolvedProducerOptions;
  private readonly logger: Logger;
  private readonly driver: ProduceDriver;
  private readonly sender: RecordSender;
  private readonly telemetry: ProducerTelemetry;
  private state: 'new' | 'connecting' | 'connected' | 'closing' | 'closed' = 'new';
  private readonly outstanding = new Set<PendingSend>();
  private idle: { promise: Promise<void>; resolve: () => void } | undefined;
  private readonly topicLoads = new Map<string, Promise<void>>();
  private closing: Promise<void> | undefined;

  constructor(input: ProducerOptions) {
    this.options = resolveProducerOptions(input);
    this.logger = this.options.logger ?? jsonLogger('info');
    if (this.options.optOuts.length > 0) {
      warnOnce(
        this.logger,
        'producer-unsafe',
        `Producer "${this.options.clientId}" runs with ${this.options.optOuts.join(' and ')}: acknowledged records can be lost or duplicated`,
        { optOuts: this.options.optOuts },
      );
    }
    registerCompressionCodecs();
    this.telemetry = new ProducerTelemetry(this.options.clientId);
    // kafkajs carries connections and metadata (with its connection retries: connect() to
    // a dead cluster fails in seconds); the delivery of records is the sender's.
    this.driver = kafkaJsProduceDriver(createKafkaJsClient(this.options, this.logger));
    this.sender = new RecordSender(
      this.driver,
      {
        acks: this.options.acks,
        idempotent: this.options.idempotent,
        compression: compressionType(this.options.compression),
        lingerMs: this.options.lingerMs,
        maxBatchMessages: this.options.maxBatchMessages,
        maxBatchBytes: this.options.maxBatchBytes,
        requestTimeoutMs: this.options.requestTimeoutMs,
      },
      this.logger,
    );
  }

  async connect(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') {
      throw new KafkaSdkError('PRODUCER_CLOSED', 'The producer was disconnected; create a new one');
    }
    if (this.state === 'connected') return;
    this.state = 'connecting';
    try {
      // A codec whose native binding is not installed fails here, naming the package, not
      // at the first send.
      await assertCompressionAvailable(this.options.compression);
      await connectClient(
        {
          connect: async () => {
            await this.driver.connect();
            await this.sender.start();
          },
          disconnect: () => this.driver.disconnect(),
        },
        this.options,
      );
    } catch (err) {
      // Not connected: connect() may be called again (after fixing credentials, say).
      this.state = 'new';
      throw err;
    }
    this.state = 'connected';
  }

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    if (this.state !== 'connected') return Promise.reject(this.notSendable());
    try {
      checkRecord(record, '');
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.enqueue(record, '');
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    if (this.state !== 'connected') throw this.notSendable();
    const given: unknown = batch?.topicMessages;
    const records: readonly ProducerRecord[] = batch?.topicMessages ?? [];
    if (!Array.isArray(given) || records.length === 0) {
      throw new ConfigError('sendBatch', [
        { path: 'topicMessages', message: 'expected a non-empty array' },
      ]);
    }
    records.forEach((record, i) => checkRecord(record, `topicMessages[${i}].`));
    // Enqueued in the same turn, so they share batches where they share partitions.
    const results = await Promise.all(
      records.map((record, i) => this.enqueue(record, `topicMessages[${i}].`)),
    );
    return results.flat();
  }

  async flush(): Promise<void> {
    if (this.outstanding.size === 0) return;
    this.sender.beginFlush();
    try {
      while (this.outstanding.size > 0) {
        this.idle ??= (() => {
          let resolve!: () => void;
          const promise = new Promise<void>((r) => (resolve = r));
          return { promise, resolve };
        })();
        await this.idle.promise;
      }
    } finally {
      this.sender.endFlush();
    }
  }

  disconnect(): Promise<void> {
    this.closing ??= (async () => {
      const wasConnected = this.state === 'connected';
      this.state = 'closing';
      try {
        await this.flush();
      } finally {
        this.sender.close(
          new KafkaSdkError(
            'PRODUCER_CLOSED',
            'The producer was disconnected before the record was acknowledged',
          ),
        );
        if (wasConnected) await this.driver.disconnect();
        this.state = 'closed';
      }
    })();
    return this.closing;
  }

  private notSendable(): KafkaSdkError {
    return this.state === 'closing' || this.state === 'closed'
      ? new KafkaSdkError('PRODUCER_CLOSED', 'send after disconnect(): the producer is closed')
      : new KafkaSdkError(
          'PRODUCER_NOT_CONNECTED',
          'send before connect(): call and await producer.connect() first',
        );
  }

  private enqueue(record: ProducerRecord, path: string): Promise<RecordMetadata[]> {
    const startedAt = performance.now();
    const { span, ctx } = this.telemetry.startSend(record.topic, record.messages);
    // One span per send, so one trace context for all its records: inject it once.
    const traceHeaders = injectTraceContext({}, ctx);
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      const pending = new PendingSend(
        record.topic,
        record.messages.length,
        span,
        startedAt,
        (send, outcome) => {
          this.outstanding.delete(send);
          if (outcome instanceof Error) {
            this.telemetry.failed(send.span, send.topic, send.count, outcome, send.startedAt);
            reject(outcome);
          } else {
            this.telemetry.succeeded(
              send.span,
              send.topic,
              send.count,
              new Set(outcome.map((m) => m.partition)),
              send.startedAt,
            );
            resolve(outcome);
          }
          if (this.outstanding.size === 0 && this.idle) {
            this.idle.resolve();
            this.idle = undefined;
          }
        },
      );
      this.outstanding.add(pending);
      const deadline = Date.now() + this.options.deliveryTimeoutMs;
      const partitions = this.driver.partitionsOf(record.topic);
      if (partitions) {
        this.partitionAndAdd(record, partitions, pending, traceHeaders, deadline, path);
        return;
      }
      this.loadTopic(record.topic).then(
        () => {
          const loaded = this.driver.partitionsOf(record.topic);
          if (!loaded) {
            pending.failed(
              new KafkaSdkError(
                'SEND_FAILED',
                `Topic "${record.topic}" has no partitions in the cluster's metadata`,
                {
                  retriable: true,
                },
              ),
            );
            return;
          }
          this.partitionAndAdd(record, loaded, pending, traceHeaders, deadline, path);
        },
        (err: unknown) => {
          pending.failed(
            new KafkaSdkError(
              'SEND_FAILED',
              `Topic "${record.topic}" is not in the cluster's metadata (does it exist?): ${(err as Error).message}`,
              { retriable: true, cause: err },
            ),
          );
        },
      );
    });
  }

  private loadTopic(topic: string): Promise<void> {
    let load = this.topicLoads.get(topic);
    if (!load) {
      load = this.waitForTopic(topic).finally(() => this.topicLoads.delete(topic));
      this.topicLoads.set(topic, load);
    }
    return load;
  }

  /**
   * Loads a topic's metadata, retrying what Kafka calls retriable for up to
   * `topicMetadataWaitMs`: a topic created a moment ago is not yet known to every broker
   * (UNKNOWN_TOPIC_OR_PARTITION), as the Java client waits for it up to max.block.ms.
   */
  private async waitForTopic(topic: string): Promise<void> {
    const deadline = Date.now() + topicMetadataWaitMs;
    for (let failures = 1; ; failures++) {
      try {
        await this.driver.loadTopics([topic]);
        return;
      } catch (err) {
        const wait = retryBackoffMs(failures);
        if ((err as { retriable?: boolean }).retriable !== true || Date.now() + wait > deadline) {
          throw err;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private partitionAndAdd(
    record: ProducerRecord,
    partitions: readonly PartitionInfo[],
    pending: PendingSend,
    traceHeaders: RecordHeaders,
    deadline: number,
    path: string,
  ): void {
    const now = Date.now();
    const chosen: number[] = [];
    try {
      for (const [i, m] of record.messages.entries()) {
        let partition: number;
        if (m.partition !== undefined && m.partition !== null) {
          partition = m.partition;
        } else {
          try {
            partition = this.options.partitioner({
              topic: record.topic,
              partitionCount: partitions.length,
              partitions,
              message: m,
            });
          } catch (err) {
            throw new KafkaSdkError(
              'PARTITIONER_FAILED',
              `${path}messages[${i}]: the partitioner threw: ${(err as Error).message}`,
              {
                cause: err,
              },
            );
          }
        }
        checkPartition(partition, partitions, `${path}messages[${i}]`);
        chosen.push(partition);
      }
    } catch (err) {
      // Nothing of this send was queued: it fails whole.
      pending.failed(err as KafkaSdkError);
      return;
    }
    record.messages.forEach((m, i) => {
      this.sender.add(
        record.topic,
        chosen[i]!,
        {
          key: m.key ?? null,
          value: m.value,
          // A copy: the caller's headers are left untouched.
          headers: { ...m.headers, ...traceHeaders },
          timestamp: m.timestamp === undefined ? now : Number(m.timestamp),
          owner: pending,
          index: i,
        },
        deadline,
      );
    });
  }
}

/** A producer with acks=all, idempotence, Java-compatible partitioning and batching on. */
export function createProducer(options: ProducerOptions): SafeProducer {
  return new Producer(options);
}
