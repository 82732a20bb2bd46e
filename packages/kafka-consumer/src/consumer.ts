import { EventEmitter } from 'node:events';
import { context, type Context } from '@opentelemetry/api';
import {
  KafkaSdkError,
  connectClient,
  connectionOf,
  createKafkaJsClient,
  deadLetterTopicName,
  extractTraceContext,
  jsonLogger,
  retryTopicName,
  whileMetadataCatchesUp,
  type Logger,
} from '@org/kafka-core';
import { LagMonitor, type GroupLagReport } from '@org/kafka-lag-monitor';
import { createProducer, type SafeProducer } from '@org/kafka-producer';
import type { Consumer as KafkaJsConsumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { BatchControl } from './batch-control.js';
import { coPartitionedAssigner } from './co-partitioned-assigner.js';
import { ConsumerTelemetry } from './consumer-telemetry.js';
import { isRetriable } from './error-classification.js';
import { deadLetterMessage, retryMessage, type HandOffMessage } from './hand-off-messages.js';
import { KeyParking } from './key-parking.js';
import { OffsetTracker } from './offset-tracker.js';
import {
  resolveConsumerOptions,
  type ConsumerOptions,
  type ResolvedConsumerOptions,
  type TopicPlan,
} from './options.js';
import { PartitionPauses, type PauseReason } from './partition-pauses.js';
import { consumedRecord, type ReadFrom } from './record-view.js';
import { nextStep, type NextStep } from './retry-route.js';
import { provisionRetryTopics } from './retry-topics.js';
import type { RetryInfo } from './retry-headers.js';
import type { ConsumedRecord, RecordOutcome } from './types.js';

/** Events a consumer emits. */
export interface ConsumerEvents {
  /** Every record's final outcome on this member: processed, sent to retry, dead-lettered. */
  record: [outcome: RecordOutcome];
  /** The member joined the group and got these partitions. */
  assigned: [assignment: Readonly<Record<string, readonly number[]>>];
  /** A lag report of this consumer's group, every `lag.intervalMs`. */
  lag: [report: GroupLagReport];
  /** kafkajs gave up and will (or will not) restart the member. */
  crash: [error: Error, restarting: boolean];
}

/** A consumer that is at-least-once by default. Create it with `createConsumer`. */
export interface SafeConsumer {
  /**
   * Checks the topics, creates the retry and dead-letter topics, joins the group and starts
   * handing records to the handler. Resolves once the member has joined.
   */
  run(): Promise<void>;
  /**
   * Stops fetching, lets in-flight handlers finish (up to `stopTimeoutMs`), commits what is
   * done, leaves the group and disconnects. Idempotent.
   */
  stop(): Promise<void>;
  /**
   * The latest lag report of this consumer's group (records and seconds behind, Burrow-style
   * status per partition), or undefined before the first round or with `lag: false`.
   */
  lag(): GroupLagReport | undefined;
  /** Stops fetching these partitions (all of a topic's when `partitions` is omitted), with their retry topics. */
  pause(topicPartitions: readonly { topic: string; partitions?: readonly number[] }[]): void;
  /** Undoes `pause`. */
  resume(topicPartitions: readonly { topic: string; partitions?: readonly number[] }[]): void;
  on<E extends keyof ConsumerEvents>(
    event: E,
    listener: (...args: ConsumerEvents[E]) => void,
  ): this;
  off<E extends keyof ConsumerEvents>(
    event: E,
    listener: (...args: ConsumerEvents[E]) => void,
  ): this;
  /** The validated options (credentials redacted). */
  readonly options: ResolvedConsumerOptions;
}

/** Where a batch was read from and the policy that applies to it. */
interface Route extends ReadFrom {
  readonly plan: TopicPlan;
}

/** A subscribed topic's route; the partition comes with each batch. */
type TopicRoute = Omit<Route, 'partition'>;

/** A source record parked behind its key (keyOrdering 'preserve'). */
interface Parked {
  readonly record: ConsumedRecord;
  readonly parent: Context;
}

/** How a record left the handler path; 'abandoned' leaves it unfinished, to be delivered again. */
type Finish = 'processed' | 'retried' | 'dead-lettered' | 'abandoned';

const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;

class Consumer extends EventEmitter implements SafeConsumer {
  readonly options: ResolvedConsumerOptions;
  private readonly logger: Logger;
  private readonly kafka: KafkaJsConsumer;
  private readonly producer: SafeProducer;
  private readonly telemetry: ConsumerTelemetry;
  private readonly lagMonitor: LagMonitor | undefined;
  private readonly routes = new Map<string, TopicRoute>();
  private readonly trackers = new Map<string, OffsetTracker>();
  private readonly committed = new Map<string, bigint>();
  private readonly parkings = new Map<string, KeyParking<Parked>>();
  private readonly pauses = new PartitionPauses();
  private readonly dueTimers = new Map<string, NodeJS.Timeout>();
  private readonly partitionCounts = new Map<string, number>();
  private readonly stopping = new AbortController();
  private readonly handlerAbort = new AbortController();
  private state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  private rebalancing = false;
  private activeBatches = 0;
  private idleWaiters: (() => void)[] = [];
  private commitTimer: NodeJS.Timeout | undefined;
  private commitChain: Promise<void> = Promise.resolve();
  private stopped: Promise<void> | undefined;
  private starting: Promise<void> | undefined;

  constructor(input: ConsumerOptions) {
    super();
    this.options = resolveConsumerOptions(input);
    const o = this.options;
    this.logger = o.logger ?? jsonLogger('info');
    this.telemetry = new ConsumerTelemetry(o.groupId, o.clientId);
    for (const plan of o.topics) {
      this.routes.set(plan.topic, { topic: plan.topic, source: plan.topic, tier: 0, plan });
      plan.retry.retryTopicDelaysMs.forEach((_, i) => {
        const topic = retryTopicName(plan.topic, i + 1);
        this.routes.set(topic, { topic, source: plan.topic, tier: i + 1, plan });
      });
    }
    const client = createKafkaJsClient(o, this.logger);
    this.kafka = client.consumer({
      groupId: o.groupId,
      sessionTimeout: o.sessionTimeoutMs,
      rebalanceTimeout: o.rebalanceTimeoutMs,
      heartbeatInterval: o.heartbeatIntervalMs,
      partitionAssigners: [coPartitionedAssigner],
      allowAutoTopicCreation: false,
      readUncommitted: false,
    });
    this.producer = createProducer({
      ...connectionOf(o),
      clientId: `${o.clientId}-retry`,
      logger: this.logger,
    });
    if (o.lag !== false) {
      this.lagMonitor = new LagMonitor({
        ...connectionOf(o),
        clientId: `${o.clientId}-lag`,
        logger: this.logger,
        groups: [o.groupId],
        intervalMs: o.lag.intervalMs,
        window: o.lag.window,
        allowedLag: o.lag.allowedLag,
      });
      this.lagMonitor.on('report', (report) => this.emit('lag', report));
    }
    const { REBALANCING, GROUP_JOIN, CRASH } = this.kafka.events;
    this.kafka.on(REBALANCING, () => {
      this.rebalancing = true;
    });
    this.kafka.on(GROUP_JOIN, (event) => this.onJoin(event.payload.memberAssignment));
    this.kafka.on(CRASH, (event) => {
      const { error, restart } = event.payload;
      // kafkajs restarts after retriable failures (a coordinator still loading): a warning.
      this.logger[restart ? 'warn' : 'error'](
        `consumer "${o.groupId}" crashed${restart ? '; kafkajs restarts it' : ''}`,
        {
          error: error.message,
        },
      );
      this.emit('crash', error, restart);
    });
  }

  run(): Promise<void> {
    if (this.state !== 'new') {
      return Promise.reject(
        new KafkaSdkError('CONSUMER_ALREADY_STARTED', 'run() was already called on this consumer'),
      );
    }
    this.state = 'starting';
    this.starting = this.start();
    return this.starting;
  }

  private async start(): Promise<void> {
    const o = this.options;
    try {
      await this.prepareTopics();
      await this.producer.connect();
      await connectClient(this.kafka, o);
      // The retry topics were created a moment ago: the broker kafkajs asks may not know
      // them yet (a retriable error), which must not crash the start.
      await whileMetadataCatchesUp(() =>
        this.kafka.subscribe({
          topics: [...this.routes.keys()],
          fromBeginning: o.startFrom === 'earliest',
        }),
      );
      await this.kafka.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: o.partitionConcurrency,
        eachBatch: (payload) => this.onBatch(payload),
      });
    } catch (err) {
      this.state = 'stopped';
      this.stopped = Promise.resolve();
      await Promise.allSettled([this.kafka.disconnect(), this.producer.disconnect()]);
      throw err;
    }
    this.commitTimer = setInterval(() => void this.commit('interval'), o.commitIntervalMs);
    // Lag is reported, never in the way: a failing round is logged by the monitor.
    await this.lagMonitor?.start().catch((err: unknown) => {
      this.logger.warn('lag reporting could not start', { error: (err as Error).message });
    });
    // stop() may have been called while starting; it waits for this and then proceeds.
    if (this.state === 'starting') this.state = 'running';
  }

  private async prepareTopics(): Promise<void> {
    const admin = createKafkaJsClient(this.options, this.logger).admin();
    await connectClient(admin, this.options);
    try {
      const partitions = await provisionRetryTopics(
        admin,
        this.options.topics,
        this.options.provisionTopics,
        this.logger,
      );
      for (const [topic, count] of partitions) this.partitionCounts.set(topic, count);
    } finally {
      await admin.disconnect();
    }
  }

  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    if (this.state === 'new' || this.state === 'stopped') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    // A stop during run() lets the start finish (or fail) first, then undoes it.
    if (this.starting) {
      try {
        await this.starting;
      } catch {
        this.state = 'stopped';
        return;
      }
    }
    this.stopping.abort();
    for (const timer of this.dueTimers.values()) clearTimeout(timer);
    this.dueTimers.clear();
    // No new fetches while in-flight records finish.
    try {
      this.kafka.pause([...this.routes.keys()].map((topic) => ({ topic })));
    } catch {
      // Not running yet (stop during run()): nothing is fetched anyway.
    }
    const finished = await this.waitIdle(this.options.stopTimeoutMs);
    if (!finished) {
      this.logger.warn(
        `stop: handlers still running after ${this.options.stopTimeoutMs} ms; aborting them, their records will be delivered again`,
      );
      this.handlerAbort.abort();
      await this.waitIdle(5_000);
    }
    clearInterval(this.commitTimer);
    await this.commit('stop');
    await this.lagMonitor?.stop();
    await this.kafka.disconnect();
    await this.producer.disconnect();
    this.state = 'stopped';
  }

  lag(): GroupLagReport | undefined {
    return this.lagMonitor?.report(this.options.groupId);
  }

  pause(topicPartitions: readonly { topic: string; partitions?: readonly number[] }[]): void {
    this.userPause(topicPartitions, true);
  }

  resume(topicPartitions: readonly { topic: string; partitions?: readonly number[] }[]): void {
    this.userPause(topicPartitions, false);
  }

  private userPause(
    topicPartitions: readonly { topic: string; partitions?: readonly number[] }[],
    pause: boolean,
  ): void {
    for (const { topic, partitions } of topicPartitions) {
      const route = this.routes.get(topic);
      if (!route || route.tier !== 0) {
        throw new KafkaSdkError(
          'CONSUMER_UNKNOWN_TOPIC',
          `${pause ? 'pause' : 'resume'}: "${topic}" is not a subscribed source topic`,
        );
      }
      const topics = [...this.routes.values()]
        .filter((r) => r.source === topic)
        .map((r) => r.topic);
      for (const t of topics) {
        const count = this.partitionCounts.get(t) ?? 0;
        const list = partitions ?? Array.from({ length: count }, (_, i) => i);
        for (const p of list) {
          if (pause) this.pausePartition(t, p, 'user');
          else this.resumePartition(t, p, 'user');
        }
      }
    }
  }

  private pausePartition(topic: string, partition: number, reason: PauseReason): void {
    if (this.pauses.add(topic, partition, reason)) {
      this.kafka.pause([{ topic, partitions: [partition] }]);
    }
  }

  private resumePartition(topic: string, partition: number, reason: PauseReason): void {
    if (this.pauses.remove(topic, partition, reason) && this.state !== 'stopping') {
      this.kafka.resume([{ topic, partitions: [partition] }]);
    }
  }

  // --- group membership -------------------------------------------------------------

  private onJoin(assignment: Record<string, number[]>): void {
    // kafkajs starts every partition again from its committed offset after a join, so what
    // was begun, parked or resolved but not committed will be delivered again: forget it.
    this.trackers.clear();
    this.committed.clear();
    const owned = new Set<string>();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const p of partitions) owned.add(tp(topic, p));
    }
    for (const [id, parking] of this.parkings) {
      if (owned.has(id)) parking.dropParked();
      else this.parkings.delete(id);
    }
    for (const [id, timer] of this.dueTimers) {
      if (!owned.has(id)) {
        clearTimeout(timer);
        this.dueTimers.delete(id);
      }
    }
    this.rebalancing = false;
    this.emit('assigned', assignment);
  }

  // --- processing -----------------------------------------------------------------

  private trackerFor(topic: string, partition: number): OffsetTracker {
    const id = tp(topic, partition);
    let tracker = this.trackers.get(id);
    if (!tracker) this.trackers.set(id, (tracker = new OffsetTracker()));
    return tracker;
  }

  private parkingFor(topic: string, partition: number): KeyParking<Parked> {
    const id = tp(topic, partition);
    let parking = this.parkings.get(id);
    if (!parking) this.parkings.set(id, (parking = new KeyParking()));
    return parking;
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const base = this.routes.get(batch.topic);
    if (!base || this.stopping.signal.aborted) return;
    const route: Route = { ...base, partition: batch.partition };
    this.activeBatches++;
    const ctl = new BatchControl(
      () => payload.heartbeat(),
      this.options.heartbeatIntervalMs,
      this.stopping.signal,
      this.logger,
    );
    try {
      if (this.options.eachBatch && route.tier === 0) {
        await this.runBatchHandler(route, batch.messages, payload, ctl);
      } else {
        for (const message of batch.messages) {
          if (ctl.ending) break;
          if (!(await this.processMessage(route, message, payload, ctl))) break;
        }
      }
      await this.commit('batch');
      if (ctl.rebalance) throw ctl.rebalance;
    } finally {
      ctl.close();
      this.activeBatches--;
      if (this.activeBatches === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /**
   * One delivered record through the handler, retries and hand-offs. False when the batch
   * must stop here (not due yet, parking full, stop or rebalance): the record is then not
   * resolved, so kafkajs delivers it again.
   */
  private async processMessage(
    route: Route,
    message: KafkaMessage,
    payload: EachBatchPayload,
    ctl: BatchControl,
  ): Promise<boolean> {
    const { topic, partition } = route;
    let view: { record: ConsumedRecord; retry: RetryInfo | undefined };
    try {
      view = consumedRecord(message, route);
    } catch (err) {
      // A retry record with broken retry headers: no retry can fix it.
      const record = consumedRecord({ ...message, headers: {} } as KafkaMessage, {
        ...route,
        tier: 0,
      }).record;
      const parent = extractTraceContext(message.headers);
      await this.settle(route, message, payload, async () => {
        await this.deadLetter(route, record, err, 1, parent);
        return 'dead-lettered';
      });
      return true;
    }
    const { record, retry } = view;
    if (retry && retry.dueAt > Date.now()) {
      this.waitUntilDue(topic, partition, retry.dueAt);
      return false;
    }
    const parent = extractTraceContext(message.headers);
    // Keys matter only to 'preserve'; the relaxed path does not look at them.
    const key =
      this.options.keyOrdering === 'preserve' ? record.key?.toString('latin1') : undefined;
    if (route.tier === 0 && key !== undefined) {
      const parking = this.parkingFor(topic, partition);
      if (parking.blocked(key)) {
        if (parking.size >= this.options.maxParkedPerPartition) {
          this.pausePartition(topic, partition, 'parking-full');
          return false;
        }
        // Begun but not finished: the commit stays behind it until it has run.
        this.trackerFor(topic, partition).begin(message.offset);
        parking.park(key, { record, parent });
        payload.resolveOffset(message.offset);
        return true;
      }
    }
    const result = await this.settle(route, message, payload, () =>
      this.processRecord(route, record, parent, ctl, retry?.firstFailureAt),
    );
    if (result === 'abandoned') return false;
    if (result !== 'retried' && route.tier > 0 && key !== undefined) {
      await this.releaseKey(record, key, ctl);
    }
    return true;
  }

  /**
   * Runs `work` for one delivered record between its begin and finish in the offset
   * tracker. A finished record is resolved (kafkajs fetches past it) and becomes
   * committable; an abandoned one stays pending; a failed hand-off forgets it, so it is
   * delivered again.
   */
  private async settle(
    route: Route,
    message: KafkaMessage,
    payload: EachBatchPayload,
    work: () => Promise<Finish>,
  ): Promise<Finish> {
    const tracker = this.trackerFor(route.topic, route.partition);
    tracker.begin(message.offset);
    let result: Finish;
    try {
      result = await work();
    } catch (err) {
      tracker.forgetFrom(message.offset);
      throw err;
    }
    if (result !== 'abandoned') {
      tracker.finish(message.offset);
      payload.resolveOffset(message.offset);
    }
    return result;
  }

  /**
   * The handler for one record with in-place retries; then the hand-off to a retry topic or
   * the dead-letter topic. 'abandoned' when a stop or rebalance cut an in-place backoff.
   */
  private async processRecord(
    route: Route,
    first: ConsumedRecord,
    parent: Context,
    ctl: BatchControl,
    firstFailureAt: number | undefined,
  ): Promise<Finish> {
    let failedHere = 0;
    for (;;) {
      const record: ConsumedRecord =
        failedHere === 0 ? first : { ...first, attempt: first.attempt + failedHere };
      const { error, ctx } = await this.attempt(record, parent);
      if (error === undefined) {
        this.emit('record', { kind: 'processed', record });
        return 'processed';
      }
      failedHere++;
      const now = Date.now();
      const step = nextStep(
        {
          sourceTopic: route.source,
          tier: route.tier,
          failedAttempts: failedHere,
          retriable: isRetriable(error),
          now,
        },
        route.plan.retry,
      );
      if (step.kind === 'retry-in-place') {
        if (!(await ctl.sleep(step.delayMs))) return 'abandoned';
        continue;
      }
      await this.handOff(route, record, step, error, ctx, firstFailureAt ?? now);
      return step.kind === 'dead-letter' ? 'dead-lettered' : 'retried';
    }
  }

  /** One handler call inside its `process` span (the batch heartbeats meanwhile). */
  private async attempt(
    record: ConsumedRecord,
    parent: Context,
  ): Promise<{ error: unknown; ctx: Context }> {
    const { span, ctx } = this.telemetry.startProcess(record, parent);
    const startedAt = performance.now();
    const handler = this.options.eachMessage;
    const batchHandler = this.options.eachBatch;
    const handlerCtx = { signal: this.handlerAbort.signal };
    try {
      await context.with(ctx, () =>
        handler ? handler(record, handlerCtx) : batchHandler!([record], handlerCtx),
      );
      this.telemetry.attemptEnded(span, record, startedAt);
      return { error: undefined, ctx };
    } catch (err) {
      const error = err ?? new Error('handler rejected with no reason');
      this.telemetry.attemptEnded(span, record, startedAt, error);
      return { error, ctx };
    }
  }

  /** Hands a failed record to its retry topic or dead-letter topic, acknowledged by all replicas. */
  private async handOff(
    route: Route,
    record: ConsumedRecord,
    step: Exclude<NextStep, { kind: 'retry-in-place' }>,
    error: unknown,
    ctx: Context,
    firstFailureAt: number,
  ): Promise<void> {
    if (step.kind === 'dead-letter') {
      await this.deadLetter(route, record, error, record.attempt, ctx, step.reason);
      return;
    }
    const message = retryMessage(
      record,
      this.partitionCounts.get(step.topic) ?? 1,
      record.attempt,
      step.dueAt,
      firstFailureAt,
    );
    await this.send(step.topic, message, ctx);
    if (this.options.keyOrdering === 'preserve' && record.key !== null) {
      this.parkingFor(route.source, record.partition).hold(
        record.key.toString('latin1'),
        record.offset,
      );
    }
    this.telemetry.retried(route.source, step.topic);
    this.emit('record', {
      kind: 'retry-scheduled',
      record,
      topic: step.topic,
      dueAt: step.dueAt,
      error,
    });
  }

  private async deadLetter(
    route: Route,
    record: ConsumedRecord,
    error: unknown,
    failedAttempts: number,
    ctx: Context,
    reason: 'exhausted' | 'non-retriable' = 'non-retriable',
  ): Promise<void> {
    const topic = deadLetterTopicName(route.source);
    const message = deadLetterMessage(
      record,
      this.partitionCounts.get(topic) ?? 1,
      failedAttempts,
      error,
      {
        format: this.options.deadLetterHeaders,
        limits: {
          maxMessageBytes: this.options.maxErrorMessageBytes,
          maxStackBytes: this.options.maxErrorStackBytes,
        },
      },
    );
    await this.send(topic, message, ctx);
    this.telemetry.deadLettered(route.source, reason, error);
    this.logger.warn(`dead-lettered a record of "${route.source}" to "${topic}"`, {
      reason,
      partition: record.partition,
      offset: record.offset,
      error: (error as Error)?.message,
    });
    this.emit('record', { kind: 'dead-lettered', record, topic, reason, error });
  }

  private async send(topic: string, message: HandOffMessage, ctx: Context): Promise<void> {
    try {
      await context.with(ctx, () => this.producer.send({ topic, messages: [message] }));
    } catch (err) {
      throw new KafkaSdkError(
        'CONSUMER_HAND_OFF_FAILED',
        `could not write a failed record to "${topic}"; it stays uncommitted and will be delivered again: ${(err as Error).message}`,
        { cause: err, retriable: true },
      );
    }
  }

  /**
   * The record of `key` finished its retries: run the records parked behind it, in order,
   * until one of them goes to a retry topic again or none is left.
   */
  private async releaseKey(record: ConsumedRecord, key: string, ctl: BatchControl): Promise<void> {
    const parking = this.parkings.get(tp(record.topic, record.partition));
    if (!parking?.release(key, record.offset)) return;
    const sourceRoute = this.routes.get(record.topic);
    if (!sourceRoute) return;
    const route: Route = { ...sourceRoute, partition: record.partition };
    const tracker = this.trackerFor(record.topic, record.partition);
    for (let item = parking.peek(key); item && parking.drainable(key); item = parking.peek(key)) {
      if (ctl.ending) return;
      const result = await this.processRecord(route, item.record, item.parent, ctl, undefined);
      if (result === 'abandoned') return;
      parking.shift(key);
      tracker.finish(item.record.offset);
    }
    if (parking.size < this.options.maxParkedPerPartition) {
      this.resumePartition(record.topic, record.partition, 'parking-full');
    }
  }

  /** Pauses a retry partition until its first record is due; never busy-waits. */
  private waitUntilDue(topic: string, partition: number, dueAt: number): void {
    const id = tp(topic, partition);
    if (this.dueTimers.has(id)) return;
    this.pausePartition(topic, partition, 'retry-not-due');
    const timer = setTimeout(
      () => {
        this.dueTimers.delete(id);
        this.resumePartition(topic, partition, 'retry-not-due');
      },
      Math.max(0, dueAt - Date.now()),
    );
    this.dueTimers.set(id, timer);
  }

  /**
   * eachBatch mode: the handler gets the batch's records (up to maxBatchRecords at a time)
   * with in-place retries of the whole chunk; a chunk that still fails is split and each
   * record takes the single-record path (retry topics, dead letter), so one bad record does
   * not hold back the others.
   */
  private async runBatchHandler(
    route: Route,
    messages: readonly KafkaMessage[],
    payload: EachBatchPayload,
    ctl: BatchControl,
  ): Promise<void> {
    const handler = this.options.eachBatch!;
    const tracker = this.trackerFor(route.topic, route.partition);
    for (let i = 0; i < messages.length && !ctl.ending; i += this.options.maxBatchRecords) {
      const chunk = messages.slice(i, i + this.options.maxBatchRecords);
      const records = chunk.map((m) => consumedRecord(m, route).record);
      for (const m of chunk) tracker.begin(m.offset);
      let ok = false;
      for (let failed = 1; !ok; failed++) {
        try {
          await handler(records, { signal: this.handlerAbort.signal });
          ok = true;
        } catch (err) {
          const step = nextStep(
            {
              sourceTopic: route.source,
              tier: 0,
              failedAttempts: failed,
              retriable: isRetriable(err),
              now: Date.now(),
            },
            route.plan.retry,
          );
          if (step.kind !== 'retry-in-place' || !(await ctl.sleep(step.delayMs))) break;
        }
      }
      if (ok) {
        for (const [j, m] of chunk.entries()) {
          this.emit('record', { kind: 'processed', record: records[j]! });
          tracker.finish(m.offset);
          payload.resolveOffset(m.offset);
        }
        continue;
      }
      tracker.forgetFrom(chunk[0]!.offset);
      if (ctl.ending) return;
      // One at a time now; in-place retries were spent on the chunk.
      const single: Route = {
        ...route,
        plan: { ...route.plan, retry: { ...route.plan.retry, attempts: 1 } },
      };
      for (const m of chunk) {
        if (ctl.ending) return;
        if (!(await this.processMessage(single, m, payload, ctl))) return;
      }
    }
  }

  // --- commits --------------------------------------------------------------------

  /** Commits, for each partition, the offset before which every record is finished. */
  private commit(why: 'batch' | 'interval' | 'stop'): Promise<void> {
    this.commitChain = this.commitChain.then(async () => {
      if (this.rebalancing && why === 'interval') return;
      const offsets: { topic: string; partition: number; offset: string }[] = [];
      for (const [id, tracker] of this.trackers) {
        const next = tracker.committable();
        if (next === undefined || this.committed.get(id) === next) continue;
        const [topic, partition] = id.split('\u0000') as [string, string];
        offsets.push({ topic, partition: Number(partition), offset: next.toString() });
      }
      if (offsets.length === 0) return;
      try {
        await this.kafka.commitOffsets(offsets);
        for (const o of offsets) this.committed.set(tp(o.topic, o.partition), BigInt(o.offset));
      } catch (err) {
        this.logger.warn(
          `commit failed (${why}); the records since the last commit may be delivered again`,
          { error: (err as Error).message },
        );
      }
    });
    return this.commitChain;
  }

  private waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.activeBatches === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/** Creates an at-least-once consumer; options are validated here, errors name the field. */
export function createConsumer(options: ConsumerOptions): SafeConsumer {
  return new Consumer(options);
}
