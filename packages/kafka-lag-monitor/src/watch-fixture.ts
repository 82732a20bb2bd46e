import { EventEmitter } from 'node:events';
import type { WatchedMonitor } from './cluster-watch.js';
import type { GroupLagReport, LagRound } from './types.js';

/** A monitor without a cluster: the test sets its reports and emits its rounds. */
export class FakeMonitor
  extends EventEmitter<{ report: [GroupLagReport]; round: [LagRound] }>
  implements WatchedMonitor
{
  readonly options = { intervalMs: 5_000 };
  private latest = new Map<string, GroupLagReport>();

  reports(): GroupLagReport[] {
    return [...this.latest.values()];
  }

  report(group: string): GroupLagReport | undefined {
    return this.latest.get(group);
  }

  /** A successful round that reported `reports` (and forgot every other group). */
  completeRound(reports: readonly GroupLagReport[], at = 1_700_000_000_000, durationMs = 40): void {
    this.latest = new Map(reports.map((r) => [r.group, r]));
    for (const r of reports) this.emit('report', r);
    this.emit('round', { at, durationMs, groups: reports.length });
  }

  failRound(error: Error, at = 1_700_000_000_000): void {
    this.emit('round', { at, durationMs: 3_000, groups: 0, error });
  }
}
