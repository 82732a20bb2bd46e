import {
  SpanKind,
  SpanStatusCode,
  context,
  metrics,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { KafkaSdkError, attr, messagingDurationBuckets, messagingSystem } from '@org/kafka-core';
import type { ProducerMessage } from './types.js';

const scope = '@org/kafka-producer';

/** Spans and metrics of the producer, through @opentelemetry/api only (no-ops without an SDK). */
export class ProducerTelemetry {
  private readonly tracer = trace.getTracer(scope);
  private readonly meter = metrics.getMeter(scope);
  private readonly sent = this.meter.createCounter('messaging.client.sent.messages', {
    description: 'Messages the producer attempted to send, by outcome (error.type set on failure)',
    unit: '{message}',
  });
  private readonly duration = this.meter.createHistogram('messaging.client.operation.duration', {
    description: 'Duration of a send, from the call to the broker acknowledgement or failure',
    unit: 's',
    advice: { explicitBucketBoundaries: [...messagingDurationBuckets] },
  });

  constructor(private readonly clientId: string) {}

  /** Starts the `send <topic>` PRODUCER span; returns it and the context to inject. */
  startSend(topic: string, messages: readonly ProducerMessage[]): { span: Span; ctx: Context } {
    const attributes: Attributes = {
      [attr.system]: messagingSystem,
      [attr.operationName]: 'send',
      [attr.operationType]: 'send',
      [attr.destinationName]: topic,
      [attr.clientId]: this.clientId,
    };
    if (messages.length === 1) {
      const key = messages[0]!.key;
      if (typeof key === 'string') attributes[attr.messageKey] = key;
      if (messages[0]!.partition !== undefined)
        attributes[attr.partitionId] = String(messages[0]!.partition);
    } else {
      attributes[attr.batchCount] = messages.length;
    }
    const span = this.tracer.startSpan(`send ${topic}`, { kind: SpanKind.PRODUCER, attributes });
    return { span, ctx: trace.setSpan(context.active(), span) };
  }

  /** Ends a span and records the metrics of a send that was acknowledged. */
  succeeded(
    span: Span,
    topic: string,
    count: number,
    partitions: ReadonlySet<number>,
    startedAt: number,
  ): void {
    if (partitions.size === 1) span.setAttribute(attr.partitionId, String([...partitions][0]));
    span.end();
    const attributes = this.metricAttributes(topic);
    this.sent.add(count, attributes);
    this.duration.record((performance.now() - startedAt) / 1000, attributes);
  }

  /** Ends a span with the error and records the metrics of a failed send. */
  failed(span: Span, topic: string, count: number, err: Error, startedAt: number): void {
    const errorType = KafkaSdkError.is(err) ? err.code : err.name;
    span.recordException(err);
    span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    span.setAttribute(attr.errorType, errorType);
    span.end();
    const attributes = { ...this.metricAttributes(topic), [attr.errorType]: errorType };
    this.sent.add(count, attributes);
    this.duration.record((performance.now() - startedAt) / 1000, attributes);
  }

  private metricAttributes(topic: string): Attributes {
    return {
      [attr.system]: messagingSystem,
      [attr.operationName]: 'send',
      [attr.destinationName]: topic,
    };
  }
}
