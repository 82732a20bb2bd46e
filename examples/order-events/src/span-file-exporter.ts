import { appendFileSync } from 'node:fs';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode, hrTimeToMilliseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { SpanLine } from './span-line.js';

const kinds: Record<SpanKind, SpanLine['kind']> = {
  [SpanKind.INTERNAL]: 'INTERNAL',
  [SpanKind.SERVER]: 'SERVER',
  [SpanKind.CLIENT]: 'CLIENT',
  [SpanKind.PRODUCER]: 'PRODUCER',
  [SpanKind.CONSUMER]: 'CONSUMER',
};
const statuses: Record<SpanStatusCode, SpanLine['status']> = {
  [SpanStatusCode.UNSET]: 'UNSET',
  [SpanStatusCode.OK]: 'OK',
  [SpanStatusCode.ERROR]: 'ERROR',
};

/** The span as a `SpanLine`. */
export function toSpanLine(service: string, span: ReadableSpan): SpanLine {
  const context = span.spanContext();
  return {
    service,
    traceId: context.traceId,
    spanId: context.spanId,
    ...(span.parentSpanContext === undefined
      ? {}
      : { parentSpanId: span.parentSpanContext.spanId }),
    name: span.name,
    kind: kinds[span.kind],
    startMs: hrTimeToMilliseconds(span.startTime),
    durationMs: hrTimeToMilliseconds(span.duration),
    status: statuses[span.status.code],
    ...(span.status.message === undefined ? {} : { statusMessage: span.status.message }),
    attributes: { ...span.attributes },
  };
}

/**
 * Appends finished spans to a file, one JSON line each: a trace exporter that needs no
 * collector, for local runs and the demo. In production, export OTLP to a collector instead.
 */
export class SpanFileExporter implements SpanExporter {
  constructor(
    private readonly path: string,
    private readonly service: string,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      appendFileSync(
        this.path,
        spans.map((s) => `${JSON.stringify(toSpanLine(this.service, s))}\n`).join(''),
      );
      done({ code: ExportResultCode.SUCCESS });
    } catch (err) {
      done({ code: ExportResultCode.FAILED, error: err as Error });
    }
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
