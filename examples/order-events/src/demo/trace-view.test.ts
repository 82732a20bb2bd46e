import { describe, expect, it } from 'vitest';
import type { SpanLine } from '../span-line.js';
import { pickOrder, renderOrderTrace } from './trace-view.js';

let id = 0;
function span(partial: Partial<SpanLine> & Pick<SpanLine, 'name' | 'traceId'>): SpanLine {
  return {
    service: 'svc',
    spanId: `s${++id}`,
    kind: 'INTERNAL',
    startMs: 1_000,
    durationMs: 1,
    status: 'UNSET',
    attributes: {},
    ...partial,
  };
}

describe('trace view', () => {
  const placedPublish = span({
    traceId: 't1',
    name: 'publish ORDER_PLACED',
    service: 'order-service',
    attributes: { 'order.id': 'o1' },
  });
  const send = span({
    traceId: 't1',
    name: 'send orders',
    parentSpanId: placedPublish.spanId,
    startMs: 1_000.5,
    kind: 'PRODUCER',
    attributes: { 'messaging.destination.partition.id': '3' },
  });
  const process1 = span({
    traceId: 't1',
    name: 'process orders',
    parentSpanId: send.spanId,
    startMs: 1_010,
    service: 'fulfilment-service',
    status: 'ERROR',
    statusMessage: 'warehouse API timed out',
    attributes: { 'messaging.kafka.attempt': 1 },
  });
  const fulfil3 = span({
    traceId: 't1',
    name: 'fulfil ORDER_PLACED',
    parentSpanId: process1.spanId,
    startMs: 1_020,
    service: 'fulfilment-service',
    attributes: {
      'order.id': 'o1',
      'messaging.kafka.attempt': 3,
      'fulfilment.outcome': 'reserved 2 lines',
    },
  });
  const shipped = span({
    traceId: 't2',
    name: 'fulfil ORDER_SHIPPED',
    startMs: 2_000,
    attributes: { 'order.id': 'o1' },
  });
  const other = span({
    traceId: 't3',
    name: 'fulfil ORDER_SHIPPED',
    startMs: 500,
    attributes: { 'order.id': 'o2' },
  });
  const spans = [other, fulfil3, shipped, process1, send, placedPublish];

  it('picks an order that went through a retry topic over a plain one; of several, the middle one', () => {
    expect(pickOrder(spans)).toBe('o1');
    const shippedAfterRetry = (order: string) => [
      span({
        traceId: order,
        name: 'fulfil ORDER_SHIPPED',
        attributes: { 'order.id': order, 'messaging.kafka.attempt': 3 },
      }),
    ];
    expect(pickOrder(['o7', 'o3', 'o5', 'o9'].flatMap(shippedAfterRetry))).toBe('o5');
    expect(pickOrder([other])).toBe('o2');
    expect(pickOrder([fulfil3])).toBeUndefined(); // never shipped
    expect(pickOrder([])).toBeUndefined();
  });

  it('prefers an order whose placement span was written (a killed service loses its spans)', () => {
    const placedO8 = span({
      traceId: 'o8',
      name: 'publish ORDER_PLACED',
      service: 'order-service',
      attributes: { 'order.id': 'o8' },
    });
    const shipped = ['o4', 'o5', 'o6', 'o8'].map((order) =>
      span({
        traceId: order,
        name: 'fulfil ORDER_SHIPPED',
        attributes: { 'order.id': order, 'messaging.kafka.attempt': 3 },
      }),
    );
    expect(pickOrder(shipped)).toBe('o5');
    expect(pickOrder([placedO8, ...shipped])).toBe('o8');
  });

  it("renders each of the order's traces as a tree, oldest first", () => {
    const lines = renderOrderTrace(spans, 'o1').split('\n');
    expect(lines[0]).toBe('  trace t1');
    expect(lines[1]).toMatch(/^ {4}order-service: publish ORDER_PLACED\s+\+\s+0\.0 ms\s+1\.0 ms$/);
    expect(lines[2]).toMatch(/^ {6}svc: send orders\s+\+\s+0\.5 ms\s+1\.0 ms {2}partition 3$/);
    expect(lines[3]).toMatch(
      /^ {8}fulfilment-service: process orders .* attempt 1, ERROR warehouse API timed out$/,
    );
    expect(lines[4]).toMatch(
      /^ {10}fulfilment-service: fulfil ORDER_PLACED .* attempt 3, reserved 2 lines$/,
    );
    expect(lines[5]).toBe('  trace t2');
    expect(lines).toHaveLength(7);
    expect(renderOrderTrace(spans, 'nope')).toBe('');
  });
});
