import { ratio, summarise, type Sample, type Summary } from './round-stats.js';

/** One benchmark's results: a row per contender, compared with `baseline`. */
export interface BenchTable {
  readonly title: string;
  /** What was measured and how, in a sentence or two. */
  readonly setting: string;
  readonly baseline: string;
  readonly rows: readonly BenchRow[];
}

export interface BenchRow {
  readonly name: string;
  readonly summary: Summary;
  /** Median records per second over the baseline's; higher is better. */
  readonly ratioToBaseline: number | undefined;
}

/** Summarises each contender's samples and compares it with the baseline's median. */
export function benchTable(
  title: string,
  setting: string,
  baseline: string,
  samples: ReadonlyMap<string, readonly Sample[]>,
): BenchTable {
  const base = samples.get(baseline);
  if (base === undefined) throw new RangeError(`baseline "${baseline}" has no samples`);
  const baseRate = summarise(base).recordsPerSecond.median;
  const rows = [...samples].map(([name, s]) => {
    const summary = summarise(s);
    return { name, summary, ratioToBaseline: ratio(summary.recordsPerSecond.median, baseRate) };
  });
  return { title, setting, baseline, rows };
}

const fixed = (n: number, digits: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The table as markdown: rates, spread, MB/s, CPU per record, ratio to the baseline. */
export function renderTable(table: BenchTable): string {
  const lines = [
    `### ${table.title}`,
    '',
    `${table.setting} ${table.rows[0]?.summary.rounds ?? 0} rounds per contender.`,
    '',
    `| contender | records/s (median) | min - max | MB/s | CPU µs/record | vs ${table.baseline} |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of table.rows) {
    const r = row.summary.recordsPerSecond;
    lines.push(
      `| ${row.name} | ${fixed(r.median, 0)} | ${fixed(r.min, 0)} - ${fixed(r.max, 0)} | ${fixed(row.summary.megabytesPerSecond, 2)} | ${row.summary.cpuMicrosPerRecord === undefined ? '-' : fixed(row.summary.cpuMicrosPerRecord, 2)} | ${row.ratioToBaseline === undefined ? '-' : `${fixed(row.ratioToBaseline, 2)}x`} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
