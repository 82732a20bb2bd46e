import {
  SpanKind,
  SpanStatusCode,
  metrics,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import { messagingDurationBuckets } from '@org/kafka-core';

const scope = '@org/kafka-serdes';

// Attribute names of the OpenTelemetry HTTP client semantic conventions (stable).
const http = {
  method: 'http.request.method',
  statusCode: 'http.response.status_code',
  resendCount: 'http.request.resend_count',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  urlFull: 'url.full',
  urlTemplate: 'url.template',
  errorType: 'error.type',
} as const;

/** One HTTP attempt against the registry, as a CLIENT span and a duration measurement. */
export interface RegistryAttempt {
  /** The registry answered (any status); 4xx and 5xx mark the span as an error. */
  answered(status: number): void;
  /** No answer: a network error or a timeout; `errorType` is low-cardinality (e.g. ECONNREFUSED). */
  failed(errorType: string, err: Error): void;
}

/**
 * Spans and metrics of registry requests, through @opentelemetry/api only (no-ops without an
 * SDK). Each HTTP attempt is its own span, `{method} {url.template}` (e.g.
 * `GET /schemas/ids/{id}`), with `http.request.resend_count` on the retries, as the HTTP
 * conventions ask. A consumer fetches a writer schema inside its `process` span, so a slow or
 * failing registry shows in the trace of the record that needed it.
 */
export class RegistryTelemetry {
  private readonly tracer = trace.getTracer(scope);
  private readonly duration = metrics
    .getMeter(scope)
    .createHistogram('http.client.request.duration', {
      description: 'Duration of Schema Registry HTTP requests, each attempt on its own',
      unit: 's',
      // The HTTP conventions advise the same boundaries as the messaging ones.
      advice: { explicitBucketBoundaries: [...messagingDurationBuckets] },
    });
  private readonly server: Attributes;

  constructor(apiRoot: URL) {
    this.server = {
      [http.serverAddress]: apiRoot.hostname,
      [http.serverPort]: Number(apiRoot.port || (apiRoot.protocol === 'https:' ? 443 : 80)),
    };
  }

  /** Starts the span of one attempt; `template` is the path with its variables named. */
  start(method: string, template: string, url: string, resendCount: number): RegistryAttempt {
    const common: Attributes = {
      ...this.server,
      [http.method]: method,
      [http.urlTemplate]: template,
    };
    const span: Span = this.tracer.startSpan(`${method} ${template}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        ...common,
        [http.urlFull]: url,
        ...(resendCount > 0 ? { [http.resendCount]: resendCount } : {}),
      },
    });
    const startedAt = performance.now();
    const record = (attributes: Attributes) =>
      this.duration.record((performance.now() - startedAt) / 1000, { ...common, ...attributes });
    return {
      answered: (status) => {
        const attributes: Attributes = { [http.statusCode]: status };
        if (status >= 400) {
          // For a client span every 4xx and 5xx is an error; error.type is the status code.
          attributes[http.errorType] = String(status);
          span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
        }
        span.setAttributes(attributes).end();
        record(attributes);
      },
      failed: (errorType, err) => {
        const attributes: Attributes = { [http.errorType]: errorType };
        span.recordException(err);
        span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
        span.setAttributes(attributes).end();
        record(attributes);
      },
    };
  }
}
