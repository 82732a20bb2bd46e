import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { silentLogger } from '@org/kafka-core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { BatchControl } from './batch-control.js';
import { ConsumerTelemetry } from './consumer-telemetry.js';
import { HandOff } from './hand-off.js';
import type { HandOffMessage } from './hand-off-messages.js';
import { consumerDefaults } from './options.js';
import { OutageGate, type OutagePolicy } from './outage-gate.js';
import { PartitionStates } from './partition-state.js';
import {
  RecordPipeline,
  type FetchedBatch,
  type RecordPipelineOptions,
} from './record-pipeline.js';
import type { RetryPolicy } from './retry-route.js';
import { topicRoutes } from './topic-routes.js';
import type { ConsumedRecord, EachBatchHandler, RecordOutcome } from './types.js';

/** The source topic of every pipeline test; its retry topics are `orders.retry.1` and `.2`. */
export const source = 'orders';

/** Zero backoff, three attempts in place, two retry tiers: fast, and every path reachable. */
export const testPolicy: RetryPolicy = {
  attempts: 3,
  initialDelayMs: 0,
  maxDelayMs: 0,
  retryTopicDelaysMs: [1_000, 10_000],
};

/** A fetched record as kafkajs hands it over. */
export function message(
  offset: number | string,
  key: string | null,
  headers: IHeaders = {},
  value = `v${offset}`,
): KafkaMessage {
  return {
    offset: String(offset),
    key: key === null ? null : Buffer.from(key),
    value: Buffer.from(value),
    headers,
    timestamp: '1700000000000',
    attributes: 0,
  };
}

/** A record the pipeline wrote to a retry topic, fetched back from it at `offset`. */
export function fetchedBack(sent: { message: HandOffMessage }, offset: number): KafkaMessage {
  const m = sent.message;
  return {
    ...message(offset, null),
    key: m.key,
    value: m.value,
    headers: m.headers,
  } as KafkaMessage;
}

/** What a scripted handler does with one call: resolve, or reject with this error. */
export type Outcome = 'ok' | Error;

export interface PipelineOptions {
  readonly policy?: RetryPolicy;
  readonly keyOrdering?: 'relaxed' | 'preserve';
  readonly maxParkedPerPartition?: number;
  readonly maxBatchRecords?: number;
  /** Decides each handler call; default: every call succeeds. */
  readonly handler?: (record: ConsumedRecord) => Outcome | Promise<Outcome>;
  /** eachBatch mode: decides each batch handler call. */
  readonly batchHandler?: (records: readonly ConsumedRecord[]) => Outcome | Promise<Outcome>;
  /** Outage mode with this policy (probes on real timers); off when omitted. */
  readonly outage?: OutagePolicy;
}

/**
 * A record pipeline over fakes at the driver seam: the partitions' pause and resume, the
 * hand-off producer and the handler are recorded, the clock is the test's, and sends can be
 * made to fail. Nothing here talks to Kafka.
 */
export class PipelineHarness {
  readonly fetchLog: string[] = [];
  readonly sent: { topic: string; message: HandOffMessage }[] = [];
  readonly outcomes: RecordOutcome[] = [];
  /** Every handler call: where the record came from and its attempt. */
  readonly calls: { key: string | null; offset: string; attempt: number; from: string }[] = [];
  readonly states: PartitionStates;
  readonly pipeline: RecordPipeline;
  readonly stopping = new AbortController();
  readonly handlerAbort = new AbortController();
  /** Errors the pipeline said the consumer must stop for. */
  readonly consumerFaults: unknown[] = [];
  /** The pipeline's clock, in ms. */
  now = 1_700_000_000_000;
  /** While above 0, each hand-off send fails and counts down. */
  failingSends = 0;
  /** Outage mode's hooks as they were called: `started`, `probe <result>`, `ended`. */
  readonly outageLog: string[] = [];
  readonly outage: OutageGate | undefined;
  private readonly controls: BatchControl[] = [];

  constructor(options: PipelineOptions = {}) {
    const handler = options.handler ?? (() => 'ok' as const);
    const plans = [{ topic: source, retry: options.policy ?? testPolicy }];
    this.states = new PartitionStates({
      pause: (topic, partition) => this.fetchLog.push(`pause ${topic}/${partition}`),
      resume: (topic, partition) => this.fetchLog.push(`resume ${topic}/${partition}`),
    });
    const emit = (outcome: RecordOutcome) => this.outcomes.push(outcome);
    const telemetry = new ConsumerTelemetry('group', 'client');
    this.outage = options.outage
      ? new OutageGate(
          options.outage,
          {
            started: () => this.outageLog.push('started'),
            probed: (result) => this.outageLog.push(`probe ${result}`),
            ended: () => this.outageLog.push('ended'),
          },
          () => this.now,
        )
      : undefined;
    const settle = async (outcome: Outcome | Promise<Outcome>) => {
      const result = await outcome;
      if (result !== 'ok') throw result;
    };
    const eachBatch: EachBatchHandler | undefined = options.batchHandler
      ? async (records) => {
          for (const r of records) this.calls.push(callOf(r));
          await settle(options.batchHandler!(records));
        }
      : undefined;
    const o: RecordPipelineOptions = {
      eachMessage: eachBatch
        ? undefined
        : async (record) => {
            this.calls.push(callOf(record));
            await settle(handler(record));
          },
      eachBatch,
      keyOrdering: options.keyOrdering ?? 'relaxed',
      maxParkedPerPartition:
        options.maxParkedPerPartition ?? consumerDefaults.maxParkedPerPartition,
      maxBatchRecords: options.maxBatchRecords ?? consumerDefaults.maxBatchRecords,
    };
    this.pipeline = new RecordPipeline({
      options: o,
      routes: topicRoutes(plans),
      states: this.states,
      handOff: new HandOff({
        sender: {
          send: ({ topic, messages }) => {
            if (this.failingSends > 0) {
              this.failingSends--;
              return Promise.reject(new Error('NOT_ENOUGH_REPLICAS (fake)'));
            }
            for (const m of messages) this.sent.push({ topic, message: m });
            return Promise.resolve();
          },
        },
        partitionCount: () => 3,
        options: {
          deadLetterHeaders: 'sdk',
          maxErrorMessageBytes: consumerDefaults.maxErrorMessageBytes,
          maxErrorStackBytes: consumerDefaults.maxErrorStackBytes,
        },
        telemetry,
        logger: silentLogger,
        emit,
      }),
      telemetry,
      outage: this.outage,
      handlerSignal: this.handlerAbort.signal,
      emit,
      onConsumerFault: (error) => {
        this.consumerFaults.push(error);
        this.stopping.abort(); // as the consumer's stop() does
      },
      logger: silentLogger,
      now: () => this.now,
      handOffRetryDelayMs: () => 0,
    });
  }

  /** A batch control as the consumer makes one per batch (heartbeats go nowhere). */
  control(): BatchControl {
    const ctl = new BatchControl(
      () => Promise.resolve(),
      60_000,
      this.stopping.signal,
      silentLogger,
    );
    this.controls.push(ctl);
    return ctl;
  }

  /** Runs one batch of `topic`/`partition`; resolves with the offsets it resolved. */
  async run(
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
    ctl = this.control(),
  ): Promise<string[]> {
    const resolved: string[] = [];
    const batch: FetchedBatch = {
      topic,
      partition,
      messages,
      resolveOffset: (offset) => resolved.push(offset),
    };
    try {
      await this.pipeline.processBatch(batch, ctl);
    } finally {
      ctl.close();
    }
    return resolved;
  }

  /** The commit point of a partition now, as the consumer would commit it. */
  commitPoint(topic: string, partition: number): bigint | undefined {
    return this.states.find(topic, partition)?.toCommit();
  }

  /** The sends to `topic`. */
  sentTo(topic: string): { topic: string; message: HandOffMessage }[] {
    return this.sent.filter((s) => s.topic === topic);
  }

  /** Closes what the harness opened (due timers, batch controls). */
  close(): void {
    this.states.freeze();
    this.outage?.close();
    for (const ctl of this.controls) ctl.close();
  }
}

function callOf(record: ConsumedRecord) {
  return {
    key: record.key?.toString() ?? null,
    offset: record.offset,
    attempt: record.attempt,
    from: `${record.receivedFrom.topic}/${record.receivedFrom.partition}@${record.receivedFrom.offset}`,
  };
}

/**
 * Records the spans of the test file that calls it (at its top level): a W3C propagator and
 * an in-memory exporter, emptied before each test.
 */
export function recordSpans(): InMemorySpanExporter {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  beforeAll(() => {
    trace.setGlobalTracerProvider(tracerProvider);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(async () => {
    await tracerProvider.shutdown();
    trace.disable();
    propagation.disable();
  });
  beforeEach(() => spans.reset());
  return spans;
}

/** A harness factory for a test file; what it made is closed after each test. */
export function harnesses(): (options?: PipelineOptions) => PipelineHarness {
  const made: PipelineHarness[] = [];
  afterEach(() => {
    for (const h of made.splice(0)) h.close();
  });
  return (options = {}) => {
    const h = new PipelineHarness(options);
    made.push(h);
    return h;
  };
}

/** Waits, a turn of the event loop at a time, until `done()` holds. */
export async function waitUntil(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 1));
}
