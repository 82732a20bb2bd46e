import type { GroupLagReport } from './types.js';
import { atLeast, severityOf, type PartitionStatus, type Severity } from './partition-status.js';

/** What `--notify` posts: a `text` that chat webhooks show, and the whole report. */
export interface StatusAlert {
  readonly text: string;
  readonly cluster: string;
  readonly group: string;
  readonly status: PartitionStatus;
  readonly severity: Severity;
  /** The status before this change; null the first time the group is seen. */
  readonly previousStatus: PartitionStatus | null;
  /** True when the group is back to OK from WARN or ERR. */
  readonly recovered: boolean;
  /** ISO time of the round that saw the change. */
  readonly at: string;
  readonly report: GroupLagReport;
}

const records = new Intl.NumberFormat('en-US');

/**
 * The alert for a group's new report, or undefined when there is nothing to say. Said:
 * a change of status (STALL to STOP too, both ERR) when the worse of the two severities
 * is at least `minSeverity`, so a recovery from ERR is said whenever the fall into ERR
 * was; and a group first seen in trouble. Not said: a group first seen OK, or the same
 * status again.
 */
export function statusAlert(
  cluster: string,
  previous: PartitionStatus | undefined,
  report: GroupLagReport,
  minSeverity: Severity,
): StatusAlert | undefined {
  const { status, severity } = report;
  if (previous === status) return undefined;
  if (previous === undefined && status === 'OK') return undefined;
  const before = previous === undefined ? 'OK' : severityOf(previous);
  if (!atLeast(severity, minSeverity) && !atLeast(before, minSeverity)) return undefined;
  const recovered = status === 'OK';
  const behind =
    report.maxLagSeconds === null
      ? `${records.format(report.totalLag)} records behind`
      : `${records.format(report.totalLag)} records, ${report.maxLagSeconds} s behind`;
  const change =
    previous === undefined ? `${status} (${severity})` : `${previous} → ${status} (${severity})`;
  const text = recovered
    ? `[${cluster}] ${report.group} recovered: ${change}, ${behind}`
    : `[${cluster}] ${report.group}: ${change}, ${behind}, ${report.members} members, state ${report.state}`;
  return {
    text,
    cluster,
    group: report.group,
    status,
    severity,
    previousStatus: previous ?? null,
    recovered,
    at: new Date(report.at).toISOString(),
    report,
  };
}
