import type { GroupLagReport, LagRound } from './types.js';
import type { PartitionStatus } from './partition-status.js';

/** A cluster's name as `--cluster` and the `/v3/kafka/<cluster>/...` routes spell it. */
export const clusterNamePattern = /^[A-Za-z0-9._-]{1,64}$/;

/** The cluster name when only one is watched and none is given. */
export const defaultClusterName = 'local';

/** One round's totals of a group, for the page's chart. */
export interface HistoryPoint {
  readonly at: number;
  readonly totalLag: number;
  readonly maxLagSeconds: number | null;
  readonly status: PartitionStatus;
}

/** How the rounds of one cluster went, for `/metrics`, `/readyz` and the page. */
export interface RoundStats {
  readonly total: number;
  readonly failed: number;
  readonly last: LagRound | undefined;
}

/** What a watch reads of a monitor: a `LagMonitor` or a fake with the same surface. */
export interface WatchedMonitor {
  reports(): readonly GroupLagReport[];
  report(group: string): GroupLagReport | undefined;
  readonly options: { readonly intervalMs: number };
  on(event: 'report', listener: (report: GroupLagReport) => void): unknown;
  on(event: 'round', listener: (round: LagRound) => void): unknown;
  off(event: 'report', listener: (report: GroupLagReport) => void): unknown;
  off(event: 'round', listener: (round: LagRound) => void): unknown;
}

/**
 * A named cluster's monitor with what the serving side keeps beside it: the last
 * `historyCapacity` rounds of each group's totals and the round counts. Pure bookkeeping
 * over the monitor's events; starting and stopping the monitor is the caller's.
 */
export class ClusterWatch {
  private readonly histories = new Map<string, HistoryPoint[]>();
  private stats: RoundStats = { total: 0, failed: 0, last: undefined };
  private readonly onReport = (report: GroupLagReport): void => {
    let points = this.histories.get(report.group);
    if (!points) this.histories.set(report.group, (points = []));
    points.push({
      at: report.at,
      totalLag: report.totalLag,
      maxLagSeconds: report.maxLagSeconds,
      status: report.status,
    });
    if (points.length > this.historyCapacity)
      points.splice(0, points.length - this.historyCapacity);
  };
  private readonly onRound = (round: LagRound): void => {
    this.stats = {
      total: this.stats.total + 1,
      failed: this.stats.failed + (round.error ? 1 : 0),
      last: round,
    };
    // A group no longer watched (gone from the pattern, deleted) keeps no history.
    if (!round.error) {
      for (const group of this.histories.keys()) {
        if (!this.monitor.report(group)) this.histories.delete(group);
      }
    }
  };

  constructor(
    readonly name: string,
    readonly monitor: WatchedMonitor,
    readonly historyCapacity = 120,
  ) {
    if (!clusterNamePattern.test(name)) {
      throw new TypeError(`cluster name "${name}" must match ${String(clusterNamePattern)}`);
    }
    monitor.on('report', this.onReport);
    monitor.on('round', this.onRound);
  }

  /** The kept rounds of `group`, oldest first. */
  history(group: string): readonly HistoryPoint[] {
    return this.histories.get(group) ?? [];
  }

  get rounds(): RoundStats {
    return this.stats;
  }

  /**
   * Ready: the last round succeeded and is not overdue (three intervals). A monitor that has
   * not finished a round yet, or whose last round failed, is not ready; the reason says why.
   */
  readiness(now = Date.now()): { ready: true } | { ready: false; reason: string } {
    const last = this.stats.last;
    if (!last) return { ready: false, reason: `cluster "${this.name}": no round completed yet` };
    if (last.error) {
      return {
        ready: false,
        reason: `cluster "${this.name}": last round failed: ${last.error.message}`,
      };
    }
    const end = last.at + last.durationMs;
    if (now - end > this.monitor.options.intervalMs * 3) {
      return {
        ready: false,
        reason: `cluster "${this.name}": no round for ${Math.round((now - end) / 1000)} s`,
      };
    }
    return { ready: true };
  }

  /** Stops listening to the monitor. */
  close(): void {
    this.monitor.off('report', this.onReport);
    this.monitor.off('round', this.onRound);
  }
}
