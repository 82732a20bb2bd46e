import {
  SpanKind,
  context,
  SpanStatusCode,
  metrics,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { attr, messagingDurationBuckets, messagingSystem } from '@org/kafka-core';
import type { OutageEvidence } from './outage-detector.js';
import type { ProbeResult } from './outage-gate.js';
import type { ConsumedRecord } from './types.js';

const scope = '@org/kafka-consumer';

/** The `error.type` of a failure: the error's class name, as the conventions ask. */
export function errorType(err: unknown): string {
  if (err instanceof Error) return err.name || 'Error';
  return '_OTHER';
}

/** Spans and metrics of the consumer, through @opentelemetry/api only (no-ops without an SDK). */
export class ConsumerTelemetry {
  private readonly tracer = trace.getTracer(scope);
  private readonly meter = metrics.getMeter(scope);
  private readonly consumed = this.meter.createCounter('messaging.client.consumed.messages', {
    description: 'Records handed to the handler (each delivery, retries included)',
    unit: '{message}',
  });
  private readonly duration = this.meter.createHistogram('messaging.process.duration', {
    description: 'Duration of one handler attempt',
    unit: 's',
    advice: { explicitBucketBoundaries: [...messagingDurationBuckets] },
  });
  private readonly retries = this.meter.createCounter('messaging.kafka.consumer.retries', {
    description: 'Records sent to a retry topic, by source topic and retry topic',
    unit: '{message}',
  });
  private readonly deadLetters = this.meter.createCounter('messaging.kafka.consumer.dead_letters', {
    description: 'Records sent to the dead-letter topic, by source topic and reason',
    unit: '{message}',
  });

  private readonly outageActive = this.meter.createUpDownCounter(
    'messaging.kafka.consumer.outage.active',
    {
      description:
        '1 while outage mode holds the records of this consumer (a dependency seems down)',
      unit: '{outage}',
    },
  );
  private readonly outageProbes = this.meter.createCounter(
    'messaging.kafka.consumer.outage.probes',
    {
      description: 'Probe calls during an outage, by result',
      unit: '{call}',
    },
  );

  constructor(
    private readonly groupId: string,
    private readonly clientId: string,
  ) {}

  /** Starts the `process <topic>` CONSUMER span of one handler attempt. */
  startProcess(record: ConsumedRecord, parent: Context): { span: Span; ctx: Context } {
    const span = this.tracer.startSpan(
      `process ${record.receivedFrom.topic}`,
      { kind: SpanKind.CONSUMER, attributes: this.processAttributes(record) },
      parent,
    );
    // The per-record attributes only for a span that records: decoding every key for a
    // no-op span (no SDK, or not sampled) was a tenth of the pipeline's CPU per record.
    if (span.isRecording()) {
      span.setAttribute(attr.offset, Number(record.receivedFrom.offset));
      if (record.key !== null) span.setAttribute(attr.messageKey, record.key.toString());
    }
    return { span, ctx: trace.setSpan(parent, span) };
  }

  /**
   * Starts the `process <topic>` span of one eachBatch handler call. A batch has many
   * parents, so the span starts a trace of its own and links each record's context.
   */
  startBatchProcess(
    records: readonly ConsumedRecord[],
    parents: readonly Context[],
  ): { span: Span; ctx: Context } {
    const first = records[0]!.receivedFrom;
    const span = this.tracer.startSpan(
      `process ${first.topic}`,
      {
        kind: SpanKind.CONSUMER,
        root: true,
        attributes: { ...this.processAttributes(records[0]!), [attr.batchCount]: records.length },
        links: parents.flatMap((parent) => {
          const spanContext = trace.getSpanContext(parent);
          return spanContext ? [{ context: spanContext }] : [];
        }),
      },
      context.active(),
    );
    return { span, ctx: trace.setSpan(context.active(), span) };
  }

  /** What every `process` span carries: where the (first) record was read, by whom, which attempt. */
  private processAttributes(record: ConsumedRecord): Attributes {
    return {
      [attr.system]: messagingSystem,
      [attr.operationName]: 'process',
      [attr.operationType]: 'process',
      [attr.destinationName]: record.receivedFrom.topic,
      [attr.partitionId]: String(record.receivedFrom.partition),
      [attr.consumerGroup]: this.groupId,
      [attr.clientId]: this.clientId,
      'messaging.kafka.attempt': record.attempt,
    };
  }

  /** Ends a batch call's span and records its metrics: every record counted, one duration. */
  batchAttemptEnded(
    span: Span,
    records: readonly ConsumedRecord[],
    startedAt: number,
    error?: unknown,
  ): void {
    const attributes = this.endSpan(span, this.metricAttributes(records[0]!), error);
    this.consumed.add(records.length, attributes);
    this.duration.record((performance.now() - startedAt) / 1000, attributes);
  }

  private endSpan(span: Span, attributes: Attributes, error: unknown): Attributes {
    if (error !== undefined) {
      const type = errorType(error);
      span.setAttribute(attr.errorType, type);
      const err = error instanceof Error ? error : new Error(JSON.stringify(error) ?? 'undefined');
      span.recordException(err);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
      attributes[attr.errorType] = type;
    }
    span.end();
    return attributes;
  }

  private metricAttributes(record: ConsumedRecord): Attributes {
    return {
      [attr.system]: messagingSystem,
      [attr.operationName]: 'process',
      [attr.destinationName]: record.receivedFrom.topic,
      [attr.partitionId]: String(record.receivedFrom.partition),
      [attr.consumerGroup]: this.groupId,
    };
  }

  /** Ends an attempt's span and records its metrics. */
  attemptEnded(span: Span, record: ConsumedRecord, startedAt: number, error?: unknown): void {
    const attributes = this.endSpan(span, this.metricAttributes(record), error);
    this.consumed.add(1, attributes);
    this.duration.record((performance.now() - startedAt) / 1000, attributes);
  }

  /** Marks the span of the handler call whose failure started an outage. */
  outageStarted(span: Span, evidence: OutageEvidence): void {
    span.addEvent('outage started', {
      'messaging.kafka.outage.distinct_keys': evidence.distinctKeys,
      'messaging.kafka.outage.failures': evidence.failures,
      'messaging.kafka.outage.calls': evidence.calls,
      'messaging.kafka.outage.window_ms': evidence.windowMs,
    });
  }

  /** Marks a probe's span with its result, and counts it. */
  outageProbe(span: Span, result: ProbeResult): void {
    span.addEvent('outage probe', { 'messaging.kafka.outage.probe_result': result });
    this.outageProbes.add(1, {
      [attr.system]: messagingSystem,
      [attr.consumerGroup]: this.groupId,
      'messaging.kafka.outage.probe_result': result,
    });
  }

  /** An outage began (+1) or ended (-1). */
  outageChanged(delta: 1 | -1): void {
    this.outageActive.add(delta, {
      [attr.system]: messagingSystem,
      [attr.consumerGroup]: this.groupId,
      [attr.clientId]: this.clientId,
    });
  }

  retried(sourceTopic: string, retryTopic: string): void {
    this.retries.add(1, {
      [attr.system]: messagingSystem,
      [attr.destinationName]: sourceTopic,
      'messaging.kafka.retry_topic': retryTopic,
      [attr.consumerGroup]: this.groupId,
    });
  }

  deadLettered(sourceTopic: string, reason: string, error: unknown): void {
    this.deadLetters.add(1, {
      [attr.system]: messagingSystem,
      [attr.destinationName]: sourceTopic,
      'messaging.kafka.dead_letter_reason': reason,
      [attr.errorType]: errorType(error),
      [attr.consumerGroup]: this.groupId,
    });
  }
}
