/** Latencies of one contender, in milliseconds, one per event. */
export interface LatencyRow {
  readonly name: string;
  readonly latenciesMs: readonly number[];
  /** Events the contender could not keep up with or lost (said, not hidden). */
  readonly note?: string;
}

export interface LatencyTable {
  readonly title: string;
  readonly setting: string;
  readonly rows: readonly LatencyRow[];
}

/** The `p`-th percentile (0-100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be 0-100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const ms = (n: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** The table as markdown: events, p50, p99, max per contender. */
export function renderLatencyTable(table: LatencyTable): string {
  const lines = [
    `### ${table.title}`,
    '',
    table.setting,
    '',
    '| contender | events | p50 ms | p99 ms | max ms | note |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of table.rows) {
    const l = row.latenciesMs;
    lines.push(
      l.length === 0
        ? `| ${row.name} | 0 | - | - | - | ${row.note ?? ''} |`
        : `| ${row.name} | ${l.length.toLocaleString('en-US')} | ${ms(percentile(l, 50))} | ${ms(percentile(l, 99))} | ${ms(Math.max(...l))} | ${row.note ?? ''} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
