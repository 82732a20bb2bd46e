import { context, type Context } from '@opentelemetry/api';
import { deadLetterTopicName, extractTraceContext, type Logger } from '@org/kafka-core';
import type { KafkaMessage } from 'kafkajs';
import { backoffDelay } from './backoff.js';
import type { BatchControl } from './batch-control.js';
import type { ConsumerTelemetry } from './consumer-telemetry.js';
import { classifyFailure, type FailureKind } from './error-classification.js';
import type { HandOff } from './hand-off.js';
import type { ResolvedConsumerOptions } from './options.js';
import type { HoldResult, OutageGate, ProbeResult } from './outage-gate.js';
import type { PartitionState, PartitionStates } from './partition-state.js';
import { consumedRecord, unreadableRetryRecord } from './record-view.js';
import type { RetryInfo } from './retry-headers.js';
import { nextStep, type NextStep } from './retry-route.js';
import type { Route, TopicRoute } from './topic-routes.js';
import type { ConsumedRecord, RecordOutcome } from './types.js';

/** One fetched batch of one partition, as the pipeline needs it from the driver. */
export interface FetchedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly KafkaMessage[];
  /** Lets the driver fetch past `offset` (it is not a commit). */
  resolveOffset(offset: string): void;
}

/** The consumer options the pipeline reads. */
export type RecordPipelineOptions = Pick<
  ResolvedConsumerOptions,
  'eachMessage' | 'eachBatch' | 'keyOrdering' | 'maxParkedPerPartition' | 'maxBatchRecords'
>;

export interface RecordPipelineDeps {
  readonly options: RecordPipelineOptions;
  readonly routes: ReadonlyMap<string, TopicRoute>;
  readonly states: PartitionStates;
  readonly handOff: HandOff;
  readonly telemetry: ConsumerTelemetry;
  /** Outage mode; undefined when it is turned off. */
  readonly outage?: OutageGate;
  /** Aborted when handlers must give up: stop() past its timeout. */
  readonly handlerSignal: AbortSignal;
  readonly emit: (outcome: RecordOutcome) => void;
  /**
   * A handler failed with an error no record is at fault for (classifyFailure: 'consumer').
   * The record is left unfinished; the consumer is expected to stop.
   */
  readonly onConsumerFault: (error: unknown) => void;
  readonly logger: Logger;
  readonly now?: () => number;
  /** The wait before writing a hand-off again after it failed for the `failures`-th time. */
  readonly handOffRetryDelayMs?: (failures: number) => number;
}

/**
 * A hand-off the producer could not write (after its own retries and delivery timeout) is
 * written again, the batch heartbeating meanwhile: 1 s, doubling to 30 s, with jitter. The
 * record is not the problem, the cluster is; dropping it would lose it, and failing the batch
 * would make kafkajs restart the member and rebalance the group for a fault that a wait mends.
 */
export function handOffRetryDelayMs(failures: number): number {
  return backoffDelay(failures, { initialDelayMs: 1_000, maxDelayMs: 30_000 });
}

/** How a record left the handler path; 'abandoned' leaves it unfinished, to be delivered again. */
type Finish = 'processed' | 'retried' | 'dead-lettered' | 'abandoned';

/** One handler call: the record as it was called, and its failure (kind undefined: success). */
interface Attempt {
  readonly record: ConsumedRecord;
  readonly error: unknown;
  readonly kind: FailureKind | undefined;
  readonly ctx: Context;
}

/** The record as handler call number `calls` (from 0) of this delivery sees it. */
function nthCall(first: ConsumedRecord, calls: number): ConsumedRecord {
  return calls === 0 ? first : { ...first, attempt: first.attempt + calls };
}

/** What outage mode counts a record's failures under: its key, or the record itself when it has none. */
function outageKey(record: ConsumedRecord): string {
  return record.key?.toString('latin1') ?? `\u0000${record.partition}@${record.offset}`;
}

/**
 * The path of every fetched record: handler, in-place retries, hand-off to a retry topic or
 * the dead-letter topic, and settling its offset. A record counts finished only at its final
 * outcome here; until then the partition's commit stays behind it.
 */
export class RecordPipeline {
  private readonly now: () => number;
  /** What every handler call gets besides its record(s); one object, not one per call. */
  private readonly handlerCtx: { readonly signal: AbortSignal };

  constructor(private readonly deps: RecordPipelineDeps) {
    this.now = deps.now ?? Date.now;
    this.handlerCtx = { signal: deps.handlerSignal };
  }

  /** Runs one batch until its end, or until `ctl` says the batch must end (stop, rebalance). */
  async processBatch(batch: FetchedBatch, ctl: BatchControl): Promise<void> {
    const base = this.deps.routes.get(batch.topic);
    if (!base) return;
    const route: Route = { ...base, partition: batch.partition };
    const state = this.deps.states.of(batch.topic, batch.partition);
    if (this.deps.options.eachBatch && route.tier === 0) {
      await this.runBatchHandler(route, state, batch, ctl);
      return;
    }
    for (const message of batch.messages) {
      if (ctl.ending) return;
      if (!(await this.processMessage(route, state, message, batch, ctl))) return;
    }
  }

  /**
   * One delivered record through the handler, retries and hand-offs. False when the batch
   * must stop here (not due yet, parking full, stop or rebalance): the record is then not
   * resolved, so it is fetched again.
   */
  private async processMessage(
    route: Route,
    state: PartitionState,
    message: KafkaMessage,
    batch: FetchedBatch,
    ctl: BatchControl,
  ): Promise<boolean> {
    let view: { record: ConsumedRecord; retry: RetryInfo | undefined };
    try {
      view = consumedRecord(message, route);
    } catch (err) {
      // Retry headers that do not parse: no retry can fix them (err names the header).
      const record = unreadableRetryRecord(message, route);
      const parent = extractTraceContext(message.headers);
      const result = await this.settle(state, message, batch, async () => {
        const written = await this.durably(ctl, () =>
          this.deps.handOff.toDeadLetterTopic(
            route.source,
            deadLetterTopicName(route.source),
            record,
            err,
            1,
            parent,
            'non-retriable',
          ),
        );
        return written ? 'dead-lettered' : 'abandoned';
      });
      return result !== 'abandoned';
    }
    const { record, retry } = view;
    if (retry && retry.dueAt > this.now()) {
      this.waitUntilDue(state, retry.dueAt);
      return false;
    }
    const parent = extractTraceContext(message.headers);
    // Keys matter only to 'preserve'; the relaxed path does not look at them.
    const key =
      this.deps.options.keyOrdering === 'preserve' ? record.key?.toString('latin1') : undefined;
    if (route.tier === 0 && key !== undefined && state.parking.blocked(key)) {
      if (state.parking.size >= this.deps.options.maxParkedPerPartition) {
        this.deps.states.pause(state.topic, state.partition, 'parking-full');
        return false;
      }
      // Begun but not finished: the commit stays behind it until it has run.
      state.begin(message.offset);
      state.parking.park(key, { record, parent });
      batch.resolveOffset(message.offset);
      return true;
    }
    const result = await this.settle(state, message, batch, () =>
      this.processRecord(route, record, parent, ctl, retry?.firstFailureAt),
    );
    if (result === 'abandoned') return false;
    if (result !== 'retried' && route.tier > 0 && key !== undefined) {
      await this.releaseKey(record, key, ctl);
    }
    return true;
  }

  /**
   * Runs `work` for one delivered record between its begin and finish. A finished record is
   * resolved (fetched past) and becomes committable; an abandoned one stays pending; a failed
   * hand-off forgets it and everything after it, so they are delivered again.
   */
  private async settle(
    state: PartitionState,
    message: KafkaMessage,
    batch: FetchedBatch,
    work: () => Promise<Finish>,
  ): Promise<Finish> {
    state.begin(message.offset);
    let result: Finish;
    try {
      result = await work();
    } catch (err) {
      state.forgetFrom(message.offset);
      throw err;
    }
    if (result !== 'abandoned') {
      state.finish(message.offset);
      batch.resolveOffset(message.offset);
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
    // Handler calls for this delivery (attempt numbers), and failures that count against the
    // retry policy (an outage's failures do not: they were not the record's).
    let calls = 0;
    let failedHere = 0;
    for (;;) {
      let call: Attempt;
      if (this.deps.outage?.active) {
        // Only a held record needs its next call numbered later, when it probes.
        const held = await this.holdForOutage(route, () => nthCall(first, calls++), parent, ctl);
        if (held === 'ended') return 'abandoned';
        failedHere = 0;
        if (held === 'recovered') continue;
        call = held;
      } else {
        call = await this.attempt(nthCall(first, calls++), parent);
      }
      const { record, error, kind, ctx } = call;
      if (kind === undefined) {
        this.deps.emit({ kind: 'processed', record });
        return 'processed';
      }
      failedHere++;
      // This failure may have started an outage: the record is held, not handed off.
      if (kind === 'transient' && this.deps.outage?.active) continue;
      if (kind === 'consumer') {
        // Not the record's fault: it stays unfinished and the consumer stops.
        this.deps.onConsumerFault(error);
        return 'abandoned';
      }
      const now = this.now();
      const step = nextStep(
        {
          sourceTopic: route.source,
          tier: route.tier,
          failedAttempts: failedHere,
          retriable: kind === 'transient',
          now,
        },
        route.plan.retry,
      );
      if (step.kind === 'retry-in-place') {
        if (!(await ctl.sleep(step.delayMs))) return 'abandoned';
        continue;
      }
      if (!(await this.handOff(route, record, step, error, ctx, firstFailureAt ?? now, ctl))) {
        return 'abandoned';
      }
      return step.kind === 'dead-letter' ? 'dead-lettered' : 'retried';
    }
  }

  /**
   * One handler call inside its `process` span. Outage mode counts the calls of source
   * records: a retry topic holds records that failed before, so its failure rate says little
   * about a dependency; nor does a probe, which the gate judges. A transient failure that
   * starts an outage is marked on the span.
   */
  private async attempt(record: ConsumedRecord, parent: Context, probe = false): Promise<Attempt> {
    const { telemetry, options } = this.deps;
    const outage = record.receivedFrom.tier === 0 ? this.deps.outage : undefined;
    const { span, ctx } = telemetry.startProcess(record, parent);
    const startedAt = performance.now();
    const handlerCtx = this.handlerCtx;
    try {
      await context.with(ctx, () =>
        options.eachMessage
          ? options.eachMessage(record, handlerCtx)
          : options.eachBatch!([record], handlerCtx),
      );
      if (probe) telemetry.outageProbe(span, 'succeeded');
      else outage?.succeeded();
      telemetry.attemptEnded(span, record, startedAt);
      return { record, error: undefined, kind: undefined, ctx };
    } catch (err) {
      const error = err ?? new Error('handler rejected with no reason');
      const kind = classifyFailure(error);
      if (probe) telemetry.outageProbe(span, kind === 'transient' ? 'failed' : 'inconclusive');
      else if (kind === 'transient' && outage) {
        const evidence = outage.failed(outageKey(record), error);
        if (evidence) telemetry.outageStarted(span, evidence);
      }
      telemetry.attemptEnded(span, record, startedAt, error);
      return { record, error, kind, ctx };
    }
  }

  /**
   * Holds a record while an outage is on, its partition paused (uncommitted: nothing is lost),
   * until a probe succeeds or the batch ends. When this record is the probe, its handler call.
   */
  private async holdForOutage(
    route: Route,
    nextCall: () => ConsumedRecord,
    parent: Context,
    ctl: BatchControl,
  ): Promise<Exclude<HoldResult, 'probed'> | Attempt> {
    const outage = this.deps.outage!;
    const { states } = this.deps;
    states.pause(route.topic, route.partition, 'outage');
    let probe: Attempt | undefined;
    const held = await outage.hold(ctl.signal, async (): Promise<ProbeResult> => {
      probe = await this.attempt(nextCall(), parent, true);
      if (probe.kind === undefined) return 'succeeded';
      return probe.kind === 'transient' ? 'failed' : 'inconclusive';
    });
    if (!outage.active) states.resumeAll('outage');
    return held === 'probed' ? probe! : held;
  }

  /** Writes the hand-off `step` asks for; false when the batch ended before it was written. */
  private async handOff(
    route: Route,
    record: ConsumedRecord,
    step: Exclude<NextStep, { kind: 'retry-in-place' }>,
    error: unknown,
    ctx: Context,
    firstFailureAt: number,
    ctl: BatchControl,
  ): Promise<boolean> {
    const { handOff, options, states } = this.deps;
    if (step.kind === 'dead-letter') {
      return this.durably(ctl, () =>
        handOff.toDeadLetterTopic(
          route.source,
          step.topic,
          record,
          error,
          record.attempt,
          ctx,
          step.reason,
        ),
      );
    }
    const written = await this.durably(ctl, () =>
      handOff.toRetryTopic(route.source, record, step, error, ctx, firstFailureAt),
    );
    if (written && options.keyOrdering === 'preserve' && record.key !== null) {
      const { parking } = states.of(route.source, record.partition);
      parking.hold(record.key.toString('latin1'), record.offset);
    }
    return written;
  }

  /**
   * Runs a hand-off `write` until it succeeds (see handOffRetryDelayMs); false when the batch
   * ended first (stop or rebalance): the record then stays unfinished, to be delivered again.
   */
  private async durably(ctl: BatchControl, write: () => Promise<void>): Promise<boolean> {
    const delayFor = this.deps.handOffRetryDelayMs ?? handOffRetryDelayMs;
    for (let failures = 1; ; failures++) {
      try {
        await write();
        return true;
      } catch (err) {
        const delayMs = delayFor(failures);
        this.deps.logger.warn(`${(err as Error).message}; writing it again in ${delayMs} ms`, {
          failures,
        });
        if (!(await ctl.sleep(delayMs))) return false;
      }
    }
  }

  /**
   * The record of `key` finished its retries: run the records parked behind it, in order,
   * until one of them goes to a retry topic again or none is left.
   */
  private async releaseKey(record: ConsumedRecord, key: string, ctl: BatchControl): Promise<void> {
    const state = this.deps.states.find(record.topic, record.partition);
    if (!state?.parking.release(key, record.offset)) return;
    const sourceRoute = this.deps.routes.get(record.topic);
    if (!sourceRoute) return;
    const route: Route = { ...sourceRoute, partition: record.partition };
    const { parking } = state;
    for (let item = parking.peek(key); item && parking.drainable(key); item = parking.peek(key)) {
      if (ctl.ending) return;
      const result = await this.processRecord(route, item.record, item.parent, ctl, undefined);
      if (result === 'abandoned') return;
      parking.shift(key);
      state.finish(item.record.offset);
    }
    if (parking.size < this.deps.options.maxParkedPerPartition) {
      this.deps.states.resume(state.topic, state.partition, 'parking-full');
    }
  }

  /** Pauses a retry partition until its first record is due; never busy-waits. */
  private waitUntilDue(state: PartitionState, dueAt: number): void {
    if (state.dueTimer) return;
    const { states } = this.deps;
    states.pause(state.topic, state.partition, 'retry-not-due');
    state.dueTimer = setTimeout(
      () => {
        state.dueTimer = undefined;
        states.resume(state.topic, state.partition, 'retry-not-due');
      },
      Math.max(0, dueAt - this.now()),
    );
  }

  /** One eachBatch handler call inside its `process` span; the error, if it failed. */
  private async batchAttempt(
    handler: NonNullable<RecordPipelineOptions['eachBatch']>,
    records: readonly ConsumedRecord[],
    parents: readonly Context[],
  ): Promise<unknown> {
    const { telemetry } = this.deps;
    const { span, ctx } = telemetry.startBatchProcess(records, parents);
    const startedAt = performance.now();
    try {
      await context.with(ctx, () => handler(records, this.handlerCtx));
      this.deps.outage?.succeeded(records.length);
      telemetry.batchAttemptEnded(span, records, startedAt);
      return undefined;
    } catch (err) {
      const error = err ?? new Error('handler rejected with no reason');
      telemetry.batchAttemptEnded(span, records, startedAt, error);
      return error;
    }
  }

  /**
   * eachBatch mode: the handler gets the batch's records (up to maxBatchRecords at a time)
   * with in-place retries of the whole chunk; a chunk that still fails is split and each
   * record takes the single-record path (retry topics, dead letter), so one bad record does
   * not hold back the others.
   */
  private async runBatchHandler(
    route: Route,
    state: PartitionState,
    batch: FetchedBatch,
    ctl: BatchControl,
  ): Promise<void> {
    const { options } = this.deps;
    const handler = options.eachBatch!;
    const { messages } = batch;
    for (let i = 0; i < messages.length && !ctl.ending; i += options.maxBatchRecords) {
      const chunk = messages.slice(i, i + options.maxBatchRecords);
      if (this.deps.outage?.active) {
        // An outage is on: the chunk's records are held one by one, each can be a probe.
        for (const m of chunk) {
          if (ctl.ending) return;
          if (!(await this.processMessage(route, state, m, batch, ctl))) return;
        }
        continue;
      }
      const records = chunk.map((m) => consumedRecord(m, route).record);
      for (const m of chunk) state.begin(m.offset);
      const parents = chunk.map((m) => extractTraceContext(m.headers));
      let ok = false;
      for (let failed = 1; !ok; failed++) {
        const attempt = failed === 1 ? records : records.map((r) => ({ ...r, attempt: failed }));
        const error = await this.batchAttempt(handler, attempt, parents);
        if (error === undefined) {
          ok = true;
          break;
        }
        const kind = classifyFailure(error);
        if (kind === 'consumer') {
          state.forgetFrom(chunk[0]!.offset);
          this.deps.onConsumerFault(error);
          return;
        }
        const step = nextStep(
          {
            sourceTopic: route.source,
            tier: 0,
            failedAttempts: failed,
            retriable: kind === 'transient',
            now: this.now(),
          },
          route.plan.retry,
        );
        if (step.kind !== 'retry-in-place' || !(await ctl.sleep(step.delayMs))) break;
        // An outage began meanwhile: the records go one by one, to be held.
        if (this.deps.outage?.active) break;
      }
      if (ok) {
        for (const [j, m] of chunk.entries()) {
          this.deps.emit({ kind: 'processed', record: records[j]! });
          state.finish(m.offset);
          batch.resolveOffset(m.offset);
        }
        continue;
      }
      state.forgetFrom(chunk[0]!.offset);
      if (ctl.ending) return;
      // One at a time now; in-place retries were spent on the chunk.
      const single: Route = {
        ...route,
        plan: { ...route.plan, retry: { ...route.plan.retry, attempts: 1 } },
      };
      for (const m of chunk) {
        if (ctl.ending) return;
        if (!(await this.processMessage(single, state, m, batch, ctl))) return;
      }
    }
  }
}
