import type { GroupLagReport } from './types.js';

const headers = [
  'TOPIC',
  'PARTITION',
  'LOG-END',
  'COMMITTED',
  'LAG',
  'LAG-SECONDS',
  'STATUS',
  'OWNER',
];

/** A group's report as an aligned text table, its summary line first. */
export function renderLagTable(report: GroupLagReport): string {
  const rows = report.partitions.map((p) => [
    p.topic,
    String(p.partition),
    p.logEnd,
    p.committed ?? '-',
    p.lag === null ? '-' : String(p.lag),
    p.lagSeconds === null ? '-' : p.lagSeconds.toFixed(1),
    p.status,
    p.owner ?? '-',
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) =>
        i === 0 || i === 6 || i === 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const window =
    report.complete < 1
      ? ` (window ${Math.round(report.complete * 100)}% full: not judged yet)`
      : '';
  // Burrow's severity adds something only where it differs from the status (STALL, STOP, REWIND are ERR).
  const severity = report.severity === report.status ? '' : ` (${report.severity})`;
  const summary =
    `GROUP ${report.group}  status ${report.status}${severity}${window}  ` +
    `state ${report.state}  members ${report.members}  total lag ${report.totalLag}` +
    (report.maxLagSeconds === null ? '' : `  max lag ${report.maxLagSeconds.toFixed(1)} s`);
  return [summary, line(headers), ...rows.map(line)].join('\n');
}
