import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordHeaders } from './record-headers.js';
import { extractTraceContext, injectTraceContext } from './trace-context-headers.js';

describe('trace context in record headers', () => {
  beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  afterAll(() => propagation.disable());

  const spanContext = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
  };

  it('round-trips through string and Buffer header values', () => {
    const headers: RecordHeaders = { existing: Buffer.from('kept') };
    injectTraceContext(headers, trace.setSpanContext(context.active(), spanContext));
    expect(headers.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(headers.existing).toEqual(Buffer.from('kept'));
    const asRead: RecordHeaders = { traceparent: Buffer.from(headers.traceparent as string) };
    const extracted = trace.getSpanContext(extractTraceContext(asRead));
    expect(extracted).toMatchObject({
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
      isRemote: true,
    });
  });

  it('takes the first value of a repeated header, and tolerates no headers', () => {
    const first = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const second = '00-11111111111111111111111111111111-2222222222222222-01';
    expect(
      trace.getSpanContext(extractTraceContext({ traceparent: [first, second] }))?.spanId,
    ).toBe('b7ad6b7169203331');
    expect(trace.getSpanContext(extractTraceContext(undefined))).toBeUndefined();
  });
});
