/**
 * A finished span as one JSON line: what the services write to `OTEL_TRACES_FILE` and what
 * the demo reads back to show the trace of one order.
 */
export interface SpanLine {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  /** Milliseconds since the epoch. */
  readonly startMs: number;
  readonly durationMs: number;
  readonly status: 'UNSET' | 'OK' | 'ERROR';
  readonly statusMessage?: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** Parses span lines, naming the line of one that is not a span. Blank lines are skipped. */
export function parseSpanLines(text: string, source: string): SpanLine[] {
  const spans: SpanLine[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      throw new Error(`${source}:${i + 1}: not JSON: ${(err as Error).message}`);
    }
    const span = parsed as Partial<SpanLine>;
    if (
      typeof span.traceId !== 'string' ||
      typeof span.spanId !== 'string' ||
      typeof span.name !== 'string'
    ) {
      throw new Error(`${source}:${i + 1}: not a span (needs traceId, spanId and name)`);
    }
    spans.push(parsed as SpanLine);
  }
  return spans;
}
