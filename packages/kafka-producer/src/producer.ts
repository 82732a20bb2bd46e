import type { Span } from '@opentelemetry/api';
import {
  ConfigError,
  KafkaSdkError,
  compressionType,
  connectClient,
  createKafkaJsClient,
  injectTraceContext,
  jsonLogger,
  registerCompressionCodecs,
  warnOnce,
  type Logger,
} from '@org/kafka-core';
import type {
  Message,
  Producer as KafkaJsProducer,
  RecordMetadata as KafkaJsRecordMetadata,
} from 'kafkajs';
import {
  resolveProducerOptions,
  type ProducerOptions,
  type ResolvedProducerOptions,
} from './options.js';
import { toKafkaJsPartitioner, type KafkaJsPartitionerBridge } from './partitioner.js';
import { ProducerTelemetry } from './producer-telemetry.js';
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

interface QueuedRecord {
  readonly topic: string;
  readonly message: Message;
}

interface PendingSend {
  readonly topic: string;
  readonly records: readonly QueuedRecord[];
  readonly bytes: number;
  readonly deadline: number;
  readonly startedAt: number;
  readonly span: Span;
  readonly resolve: (meta: RecordMetadata[]) => void;
  readonly reject: (err: Error) => void;
  settled: boolean;
}

function sizeOf(value: string | Buffer | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
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

// kafkajs warns that bounded retries "may invalidate EoS guarantees". The bound is the
// delivery timeout, as in the Java client; the README says what a timeout means.
function quietRetryWarning(logger: Logger): Logger {
  return {
    ...logger,
    warn: (message, fields) => {
      if (message.includes('Limiting retries for the idempotent producer'))
        logger.debug(message, fields);
      else logger.warn(message, fields);
    },
  };
}

class Producer implements SafeProducer {
  readonly options: ResolvedProducerOptions;
  private readonly logger: Logger;
  private readonly kafka: KafkaJsProducer;
  private readonly telemetry: ProducerTelemetry;
  private readonly partitioner: KafkaJsPartitionerBridge;
  private state: 'new' | 'connecting' | 'connected' | 'closing' | 'closed' = 'new';
  private queue: PendingSend[] = [];
  private queuedMessages = 0;
  private queuedBytes = 0;
  private inFlight: Promise<void> | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
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
    // The client keeps kafkajs's connection retries (connect() to a dead cluster fails in
    // seconds); only sends get the long retry budget.
    const client = createKafkaJsClient(this.options, quietRetryWarning(this.logger));
    this.partitioner = toKafkaJsPartitioner(this.options.partitioner);
    this.kafka = client.producer({
      retry: {
        initialRetryTime: 100,
        maxRetryTime: 1_000,
        // Backoff reaches 1 s after a few tries, so this many retries spans the delivery
        // timeout; the timeout itself is enforced per send below.
        retries: Math.ceil(this.options.deliveryTimeoutMs / 1_000) + 5,
      },
      idempotent: this.options.idempotent,
      // One request per broker at a time: with idempotence this keeps kafkajs's sequence
      // numbers in order; batching (below) provides the throughput.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: this.partitioner.createPartitioner,
    });
  }

  async connect(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') {
      throw new KafkaSdkError('PRODUCER_CLOSED', 'The producer was disconnected; create a new one');
    }
    if (this.state === 'connected') return;
    this.state = 'connecting';
    try {
      await connectClient(this.kafka, this.options);
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
    return this.enqueue(record);
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
    // Enqueued in the same tick, so they travel in one request where they fit.
    const results = await Promise.all(records.map((record) => this.enqueue(record)));
    return results.flat();
  }

  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight) {
      if (this.inFlight) await this.inFlight;
      else this.drain();
    }
  }

  disconnect(): Promise<void> {
    this.closing ??= (async () => {
      const wasConnected = this.state === 'connected';
      this.state = 'closing';
      try {
        await this.flush();
      } finally {
        if (wasConnected) await this.kafka.disconnect();
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

  private enqueue(record: ProducerRecord): Promise<RecordMetadata[]> {
    const startedAt = performance.now();
    const { span, ctx } = this.telemetry.startSend(record.topic, record.messages);
    // One span per send, so one trace context for all its records: inject it once.
    const traceHeaders = injectTraceContext({}, ctx);
    let bytes = 0;
    const records: QueuedRecord[] = record.messages.map((m) => {
      bytes += sizeOf(m.key) + sizeOf(m.value) + 16;
      // A copy: the caller's message and headers are left untouched.
      const message: Message = {
        key: m.key ?? null,
        value: m.value,
        headers: { ...m.headers, ...traceHeaders },
        partition: m.partition,
        timestamp: m.timestamp,
      };
      return { topic: record.topic, message };
    });
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      this.queue.push({
        topic: record.topic,
        records,
        bytes,
        deadline: Date.now() + this.options.deliveryTimeoutMs,
        startedAt,
        span,
        resolve,
        reject,
        settled: false,
      });
      this.queuedMessages += records.length;
      this.queuedBytes += bytes;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight) return;
    const full =
      this.queuedMessages >= this.options.maxBatchMessages ||
      this.queuedBytes >= this.options.maxBatchBytes;
    if (full || this.options.lingerMs === 0) {
      this.drain();
      return;
    }
    this.lingerTimer ??= setTimeout(() => {
      this.lingerTimer = undefined;
      this.drain();
    }, this.options.lingerMs);
  }

  /** Takes the next batch off the queue and sends it; one batch is in flight at a time. */
  private drain(): void {
    if (this.inFlight || this.queue.length === 0) return;
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
    const batch: PendingSend[] = [];
    let messages = 0;
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      const fits =
        messages + next.records.length <= this.options.maxBatchMessages &&
        bytes + next.bytes <= this.options.maxBatchBytes;
      if (batch.length > 0 && !fits) break;
      this.queue.shift();
      batch.push(next);
      messages += next.records.length;
      bytes += next.bytes;
    }
    this.queuedMessages -= messages;
    this.queuedBytes -= bytes;
    this.inFlight = this.sendNow(batch).finally(() => {
      this.inFlight = undefined;
      // Records that queued up while this batch was in flight have lingered enough.
      if (this.queue.length > 0) this.drain();
    });
  }

  private async sendNow(batch: PendingSend[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const pending of batch) {
      for (const { topic, message } of pending.records) {
        let list = byTopic.get(topic);
        if (!list) byTopic.set(topic, (list = []));
        list.push(message);
      }
    }
    const earliest = Math.min(...batch.map((p) => p.deadline));
    const timer = setTimeout(
      () => {
        for (const pending of batch) {
          this.fail(
            pending,
            new KafkaSdkError(
              'DELIVERY_TIMEOUT',
              `Not acknowledged within deliveryTimeoutMs=${this.options.deliveryTimeoutMs}: the records may or may not have been written`,
              { retriable: true },
            ),
          );
        }
      },
      Math.max(0, earliest - Date.now()),
    );
    try {
      const response = await this.sendVerified(byTopic, () => batch.every((p) => p.settled));
      const offsets = this.offsetsOf(byTopic, response);
      for (const pending of batch) this.succeed(pending, offsets);
    } catch (err) {
      const cause = err as Error & { retriable?: boolean };
      const error = KafkaSdkError.is(cause)
        ? cause
        : new KafkaSdkError('SEND_FAILED', `Send failed: ${cause.message}`, {
            retriable: cause.retriable ?? false,
            cause,
          });
      for (const pending of batch) this.fail(pending, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends and then checks that every partition written to was acknowledged, re-sending
   * what was not. kafkajs 2.2.4 keeps the responses of a sendBatch per broker across its
   * retries; when a partition's leader moves to a broker that had already answered for
   * other partitions, that partition's records are never sent and sendBatch still
   * resolves. The re-send carries the same producer sequence numbers (kafkajs rolls them
   * back on a failed request), so the broker drops anything it already has.
   */
  private async sendVerified(
    byTopic: Map<string, Message[]>,
    givenUp: () => boolean,
  ): Promise<KafkaJsRecordMetadata[]> {
    const acknowledged: KafkaJsRecordMetadata[] = [];
    let outstanding = byTopic;
    for (let round = 0; ; round++) {
      const response = await this.kafka.sendBatch({
        acks: this.options.acks,
        compression: compressionType(this.options.compression),
        timeout: this.options.requestTimeoutMs,
        topicMessages: [...outstanding].map(([topic, messages]) => ({ topic, messages })),
      });
      acknowledged.push(...response);
      // acks=0 gets no response to check.
      if (this.options.acks === 0) return acknowledged;
      const done = new Set(acknowledged.map((r) => `${r.topicName}:${r.partition}`));
      const missing = new Map<string, Message[]>();
      for (const [topic, messages] of outstanding) {
        const left = messages.filter(
          (m) => !done.has(`${topic}:${this.partitioner.partitionOf(m) ?? -1}`),
        );
        if (left.length > 0) missing.set(topic, left);
      }
      if (missing.size === 0) return acknowledged;
      const count = [...missing.values()].reduce((n, list) => n + list.length, 0);
      this.logger.warn(
        `kafkajs returned without acknowledging ${count} records; sending them again`,
        {
          round,
          partitions: [...missing].map(
            ([topic, list]) =>
              `${topic}:${[...new Set(list.map((m) => this.partitioner.partitionOf(m)))].join(',')}`,
          ),
        },
      );
      if (givenUp()) {
        throw new KafkaSdkError(
          'DELIVERY_TIMEOUT',
          'Delivery timed out while re-sending unacknowledged records',
          {
            retriable: true,
          },
        );
      }
      outstanding = missing;
    }
  }

  /** Each message's offset: the partition's base offset plus its position in the request. */
  private offsetsOf(
    byTopic: Map<string, Message[]>,
    response: KafkaJsRecordMetadata[],
  ): Map<Message, RecordMetadata> {
    const base = new Map<string, bigint>();
    for (const r of response)
      base.set(`${r.topicName}:${r.partition}`, BigInt(r.baseOffset ?? '-1'));
    const result = new Map<Message, RecordMetadata>();
    for (const [topic, messages] of byTopic) {
      const position = new Map<number, bigint>();
      for (const message of messages) {
        const partition = this.partitioner.partitionOf(message) ?? -1;
        const start = base.get(`${topic}:${partition}`);
        const index = position.get(partition) ?? 0n;
        position.set(partition, index + 1n);
        const offset = start === undefined || start < 0n ? '-1' : String(start + index);
        result.set(message, { topic, partition, offset });
      }
    }
    return result;
  }

  private succeed(pending: PendingSend, offsets: Map<Message, RecordMetadata>): void {
    if (pending.settled) return;
    pending.settled = true;
    const meta = pending.records.map(
      (r) => offsets.get(r.message) ?? { topic: r.topic, partition: -1, offset: '-1' },
    );
    this.telemetry.succeeded(
      pending.span,
      pending.topic,
      meta.length,
      new Set(meta.map((m) => m.partition)),
      pending.startedAt,
    );
    pending.resolve(meta);
  }

  private fail(pending: PendingSend, error: Error): void {
    if (pending.settled) return;
    pending.settled = true;
    this.telemetry.failed(
      pending.span,
      pending.topic,
      pending.records.length,
      error,
      pending.startedAt,
    );
    pending.reject(error);
  }
}

/** A producer with acks=all, idempotence, Java-compatible partitioning and batching on. */
export function createProducer(options: ProducerOptions): SafeProducer {
  return new Producer(options);
}
