import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { jsonLogger, type Logger } from '@org/kafka-core';
import { SpanFileExporter } from './span-file-exporter.js';

export interface TelemetryOptions {
  readonly serviceName: string;
  /** Append spans as JSON lines to this file. */
  readonly tracesFile?: string | undefined;
  /** Print spans to stdout (the SDK's console exporter). */
  readonly console?: boolean;
}

/**
 * Sets up OpenTelemetry tracing for a service: W3C trace context (what the SDK puts in
 * record headers), async context so spans nest across awaits, and the chosen exporters.
 * Returns the shutdown that flushes what is still buffered.
 */
export function startTelemetry(options: TelemetryOptions): { shutdown(): Promise<void> } {
  const spanProcessors: SpanProcessor[] = [];
  if (options.tracesFile !== undefined) {
    spanProcessors.push(
      new BatchSpanProcessor(new SpanFileExporter(options.tracesFile, options.serviceName), {
        scheduledDelayMillis: 500,
      }),
    );
  }
  if (options.console === true) {
    spanProcessors.push(new BatchSpanProcessor(new ConsoleSpanExporter()));
  }
  const provider = new BasicTracerProvider({ spanProcessors });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return { shutdown: () => provider.shutdown() };
}

/** What both services set up first: tracing as configured, a JSON logger, their tracer. */
export function startServiceRuntime(
  serviceName: string,
  config: {
    readonly OTEL_TRACES_FILE?: string | undefined;
    readonly OTEL_TRACES_EXPORTER: 'none' | 'console';
    readonly LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error';
  },
): { telemetry: { shutdown(): Promise<void> }; logger: Logger; tracer: Tracer } {
  const telemetry = startTelemetry({
    serviceName,
    tracesFile: config.OTEL_TRACES_FILE,
    console: config.OTEL_TRACES_EXPORTER === 'console',
  });
  return { telemetry, logger: jsonLogger(config.LOG_LEVEL), tracer: trace.getTracer(serviceName) };
}
