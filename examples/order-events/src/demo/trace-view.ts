import type { SpanLine } from '../span-line.js';

const orderOf = (s: SpanLine) => s.attributes['order.id'];
const attemptOf = (s: SpanLine) => Number(s.attributes['messaging.kafka.attempt'] ?? 1);

/**
 * The order whose trace tells the most: one with an event that went through a retry topic
 * (an attempt of 3 or more), else one with any failed attempt, else one whose shipment was
 * fulfilled; of several, the middle one by order id (the first orders meet a cold start).
 * Undefined when no order was fulfilled at all.
 */
export function pickOrder(spans: readonly SpanLine[]): string | undefined {
  const fulfilSpans = spans.filter(
    (s) => s.name.startsWith('fulfil ') && typeof orderOf(s) === 'string',
  );
  const shipped = new Set(
    fulfilSpans
      .filter((s) => s.name === 'fulfil ORDER_SHIPPED' && s.status !== 'ERROR')
      .map(orderOf),
  );
  const complete = fulfilSpans.filter((s) => shipped.has(orderOf(s)));
  // Rather an order whose placement span was written: a service killed with SIGKILL never
  // flushes the spans it had in hand, so its orders' traces start at the consumer.
  const placed = new Set(spans.filter((s) => s.name === 'publish ORDER_PLACED').map(orderOf));
  const withPlacement = complete.filter((s) => placed.has(orderOf(s)));
  for (const pool of [withPlacement, complete]) {
    for (const telling of [
      (s: SpanLine) => attemptOf(s) >= 3,
      (s: SpanLine) => s.status === 'ERROR',
      (s: SpanLine) => s.name === 'fulfil ORDER_SHIPPED',
    ]) {
      const orders = [...new Set(pool.filter(telling).map((s) => String(orderOf(s))))].sort();
      if (orders.length > 0) return orders[Math.floor((orders.length - 1) / 2)];
    }
  }
  return undefined;
}

/**
 * Every trace that touches `orderId`, oldest first, each as an indented tree: service, span
 * name, start relative to the trace's first span, duration, and what matters (partition,
 * attempt, error).
 */
export function renderOrderTrace(spans: readonly SpanLine[], orderId: string): string {
  const traceIds = new Set(spans.filter((s) => orderOf(s) === orderId).map((s) => s.traceId));
  const traces = [...traceIds]
    .map((id) => spans.filter((s) => s.traceId === id).sort((a, b) => a.startMs - b.startMs))
    .sort((a, b) => a[0]!.startMs - b[0]!.startMs);
  const lines: string[] = [];
  for (const traceSpans of traces) {
    const start = traceSpans[0]!.startMs;
    const ids = new Set(traceSpans.map((s) => s.spanId));
    const children = new Map<string | undefined, SpanLine[]>();
    for (const s of traceSpans) {
      const parent =
        s.parentSpanId !== undefined && ids.has(s.parentSpanId) ? s.parentSpanId : undefined;
      children.set(parent, [...(children.get(parent) ?? []), s]);
    }
    lines.push(`  trace ${traceSpans[0]!.traceId}`);
    const rows: [string, SpanLine][] = [];
    const walk = (parent: string | undefined, depth: number) => {
      for (const s of children.get(parent) ?? []) {
        rows.push([`${'  '.repeat(depth)}${s.service}: ${s.name}`, s]);
        walk(s.spanId, depth + 1);
      }
    };
    walk(undefined, 0);
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, s] of rows) {
      lines.push(
        `    ${label.padEnd(width)}  +${(s.startMs - start).toFixed(1).padStart(8)} ms ${s.durationMs.toFixed(1).padStart(8)} ms  ${details(s)}`.trimEnd(),
      );
    }
  }
  return lines.join('\n');
}

function details(s: SpanLine): string {
  const text = (key: string) => {
    const value = s.attributes[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const parts: string[] = [];
  const partition = text('messaging.destination.partition.id');
  if (partition !== undefined) parts.push(`partition ${partition}`);
  const attempt = text('messaging.kafka.attempt');
  if (attempt !== undefined) parts.push(`attempt ${attempt}`);
  const outcome = text('fulfilment.outcome');
  if (outcome !== undefined) parts.push(outcome);
  if (s.status === 'ERROR')
    parts.push(`ERROR ${s.statusMessage ?? text('error.type') ?? ''}`.trim());
  return parts.join(', ');
}
