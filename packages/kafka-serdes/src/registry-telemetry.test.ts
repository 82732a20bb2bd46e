import { SpanKind, SpanStatusCode, metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RegistryTelemetry } from './registry-telemetry.js';

const spans = new InMemorySpanExporter();
const reader = new PeriodicExportingMetricReader({
  exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
  exportIntervalMillis: 60_000,
});
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(spans)],
});
const meterProvider = new MeterProvider({ readers: [reader] });

beforeAll(() => {
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
});
afterAll(async () => {
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
  trace.disable();
  metrics.disable();
});
beforeEach(() => spans.reset());

async function durationPoints() {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === 'http.client.request.duration') as HistogramMetricData;
  return metric.dataPoints;
}

describe('RegistryTelemetry', () => {
  const url = 'http://registry.internal:8080/apis/ccompat/v7';
  const telemetry = () => new RegistryTelemetry(new URL(url));

  it('makes one CLIENT span per attempt named after the method and the path template', () => {
    telemetry().start('GET', '/schemas/ids/{id}', `${url}/schemas/ids/7`, 0).answered(200);
    const [span] = spans.getFinishedSpans();
    expect(span!.name).toBe('GET /schemas/ids/{id}');
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.attributes).toEqual({
      'http.request.method': 'GET',
      'url.template': '/schemas/ids/{id}',
      'url.full': `${url}/schemas/ids/7`,
      'server.address': 'registry.internal',
      'server.port': 8080,
      'http.response.status_code': 200,
    });
  });

  it('marks 4xx and 5xx answers as errors with the status code as error.type', () => {
    const t = telemetry();
    t.start(
      'GET',
      '/subjects/{subject}/versions/latest',
      `${url}/subjects/x/versions/latest`,
      0,
    ).answered(404);
    t.start('POST', '/subjects/{subject}/versions', `${url}/subjects/x/versions`, 0).answered(503);
    const [notFound, unavailable] = spans.getFinishedSpans();
    expect(notFound!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'HTTP 404' });
    expect(notFound!.attributes['error.type']).toBe('404');
    expect(unavailable!.attributes['error.type']).toBe('503');
    expect(unavailable!.attributes['http.response.status_code']).toBe(503);
  });

  it('counts resends and records failures without an answer', () => {
    const err = new TypeError('fetch failed');
    telemetry()
      .start('GET', '/schemas/ids/{id}', `${url}/schemas/ids/1`, 2)
      .failed('ECONNREFUSED', err);
    const [span] = spans.getFinishedSpans();
    expect(span!.attributes['http.request.resend_count']).toBe(2);
    expect(span!.attributes['error.type']).toBe('ECONNREFUSED');
    expect(span!.attributes['http.response.status_code']).toBeUndefined();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'fetch failed' });
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('takes the default port of the scheme when the URL has none', () => {
    new RegistryTelemetry(new URL('https://registry.example.com/ccompat'))
      .start('GET', '/schemas/ids/{id}', 'https://registry.example.com/ccompat/schemas/ids/1', 0)
      .answered(200);
    expect(spans.getFinishedSpans()[0]!.attributes['server.port']).toBe(443);
  });

  it('records the duration of each attempt by method, template, server and outcome', async () => {
    const t = new RegistryTelemetry(new URL('http://metrics-check:8081'));
    t.start('GET', '/schemas/ids/{id}', 'http://metrics-check:8081/schemas/ids/1', 0).answered(200);
    t.start('GET', '/schemas/ids/{id}', 'http://metrics-check:8081/schemas/ids/2', 0).answered(200);
    t.start('GET', '/schemas/ids/{id}', 'http://metrics-check:8081/schemas/ids/3', 0).answered(404);
    const points = (await durationPoints()).filter(
      (p) => p.attributes['server.address'] === 'metrics-check',
    );
    const byStatus = new Map(
      points.map((p) => [p.attributes['http.response.status_code'], p] as const),
    );
    expect(byStatus.get(200)!.value.count).toBe(2);
    expect(byStatus.get(404)!.value.count).toBe(1);
    expect(byStatus.get(404)!.attributes).toEqual({
      'http.request.method': 'GET',
      'url.template': '/schemas/ids/{id}',
      'server.address': 'metrics-check',
      'server.port': 8081,
      'http.response.status_code': 404,
      'error.type': '404',
    });
    // The full URL (with ids and subjects) never becomes a metric label.
    expect(points.every((p) => !('url.full' in p.attributes))).toBe(true);
  });
});
