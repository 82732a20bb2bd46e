import type { Logger } from '@org/kafka-core';
import type { ClusterWatch } from './cluster-watch.js';
import type { GroupLagReport } from './types.js';
import type { PartitionStatus, Severity } from './partition-status.js';
import { statusAlert, type StatusAlert } from './status-alert.js';
import { WebhookEndpoint, webhookDefaults, type WebhookOptions } from './webhook-notifier.js';

export interface StatusNotifierOptions {
  readonly urls: readonly string[];
  /** Changes below this severity on both sides are not posted (default WARN). */
  readonly minSeverity?: Severity;
  readonly logger: Logger;
  readonly delivery?: Partial<WebhookOptions>;
}

/**
 * Watches the reports of every cluster and posts a `StatusAlert` to each URL when a group's
 * status changes (see `statusAlert` for what is said). Delivery is per endpoint, in order,
 * retried, and never holds up a round.
 */
export class StatusNotifier {
  private readonly endpoints: WebhookEndpoint[];
  private readonly last = new Map<string, PartitionStatus>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly minSeverity: Severity;

  constructor(options: StatusNotifierOptions) {
    const delivery = { ...webhookDefaults, ...options.delivery };
    this.endpoints = options.urls.map((url) => new WebhookEndpoint(url, options.logger, delivery));
    this.minSeverity = options.minSeverity ?? 'WARN';
  }

  /** Starts watching a cluster's reports. */
  watch(watch: ClusterWatch): void {
    const listener = (report: GroupLagReport) => this.observe(watch.name, report);
    watch.monitor.on('report', listener);
    this.unsubscribe.push(() => watch.monitor.off('report', listener));
  }

  /**
   * A report of `cluster`: posts the alert it calls for, if any; returns it. An OK from a
   * window not yet full is "not judged yet", not a status: it is neither said nor taken as
   * the status a later change starts from (a group found stopped is "STOP", not "OK → STOP").
   */
  observe(cluster: string, report: GroupLagReport): StatusAlert | undefined {
    if (report.status === 'OK' && report.complete < 1) return undefined;
    const key = `${cluster}\u0000${report.group}`;
    const alert = statusAlert(cluster, this.last.get(key), report, this.minSeverity);
    this.last.set(key, report.status);
    if (alert) for (const endpoint of this.endpoints) endpoint.post(alert);
    return alert;
  }

  /** Stops watching; gives queued messages up to `graceMs` to be delivered. */
  async close(graceMs = 5_000): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    await Promise.all(this.endpoints.map((e) => e.close(graceMs)));
  }

  /** Delivered, failed and dropped messages, over all endpoints. */
  get counts(): { delivered: number; failed: number; dropped: number } {
    const sum = { delivered: 0, failed: 0, dropped: 0 };
    for (const e of this.endpoints) {
      sum.delivered += e.counts.delivered;
      sum.failed += e.counts.failed;
      sum.dropped += e.counts.dropped;
    }
    return sum;
  }
}
