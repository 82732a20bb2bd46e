/** Latencies of one contender, in milliseconds, one per event. */
export interface LatencyRow {
  readonly name: string;
  readonly latenciesMs: readonly number[];
  /**
   * Send start to the producer's acknowledgement, one per event: the producer's share of the
   * latency (the rest is the broker making the record visible and the consumer fetching it).
   */
  readonly sendMs?: readonly number[];
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

/**
 * One row for several rounds of a contender: the round whose p99 is the median (the lower
 * middle one for an even count), its notes, and every round's p50 / p99 in the note, so a
 * machine's noise in one round neither makes nor hides a result.
 */
export function medianRound(rounds: readonly LatencyRow[]): LatencyRow {
  if (rounds.length === 0) throw new RangeError('medianRound of no rounds');
  const timed = rounds.filter((r) => r.latenciesMs.length > 0);
  if (timed.length === 0) return rounds[0]!;
  const byTail = [...timed].sort(
    (a, b) => percentile(a.latenciesMs, 99) - percentile(b.latenciesMs, 99),
  );
  const chosen = byTail[Math.floor((byTail.length - 1) / 2)]!;
  const each = rounds
    .map((r) =>
      r.latenciesMs.length > 0
        ? `${ms(percentile(r.latenciesMs, 50))} / ${ms(percentile(r.latenciesMs, 99))}`
        : 'none timed',
    )
    .join(', ');
  const notes = [
    `round of the median p99 shown; p50 / p99 ms of the ${rounds.length} rounds in run order: ${each}`,
    ...rounds.map((r, i) => (r.note ? `round ${i + 1}: ${r.note}` : '')),
  ].filter(Boolean);
  return { ...chosen, note: notes.join('; ') };
}

/** A row's figures without its events, for the results JSON (every event would be megabytes). */
export function latencySummary(row: LatencyRow) {
  const l = row.latenciesMs;
  const s = row.sendMs ?? [];
  return {
    name: row.name,
    events: l.length,
    p50Ms: l.length ? percentile(l, 50) : null,
    p99Ms: l.length ? percentile(l, 99) : null,
    maxMs: l.length ? Math.max(...l) : null,
    sendP50Ms: s.length ? percentile(s, 50) : null,
    sendP99Ms: s.length ? percentile(s, 99) : null,
    note: row.note ?? '',
  };
}

/** p50 / p99 of `values`, or '-' when there are none. */
function medianAndTail(values: readonly number[] | undefined): string {
  return values?.length ? `${ms(percentile(values, 50))} / ${ms(percentile(values, 99))}` : '-';
}

/** The table as markdown: events, p50, p99, max per contender, and the send's share. */
export function renderLatencyTable(table: LatencyTable): string {
  const lines = [
    `### ${table.title}`,
    '',
    table.setting,
    '',
    '| contender | events | p50 ms | p99 ms | max ms | of which send() p50 / p99 ms | note |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of table.rows) {
    const l = row.latenciesMs;
    lines.push(
      l.length === 0
        ? `| ${row.name} | 0 | - | - | - | - | ${row.note ?? ''} |`
        : `| ${row.name} | ${l.length.toLocaleString('en-US')} | ${ms(percentile(l, 50))} | ${ms(percentile(l, 99))} | ${ms(Math.max(...l))} | ${medianAndTail(row.sendMs)} | ${row.note ?? ''} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
