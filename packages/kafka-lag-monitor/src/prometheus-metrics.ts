import { Counter, Gauge, Registry } from 'prom-client';
import type { ClusterWatch } from './cluster-watch.js';
import { statusCodes } from './lag-gauges.js';

// kafka-lag-exporter's names and labels, so its Grafana dashboards read this endpoint as they
// are (https://github.com/seglo/kafka-lag-exporter#metrics). Its per-partition member labels
// are empty strings for a partition no member owns, as there.
const exporterPartitionLabels = [
  'cluster_name',
  'group',
  'topic',
  'partition',
  'member_host',
  'consumer_id',
  'client_id',
] as const;

/**
 * `GET /metrics`: the latest round of every watched cluster in the Prometheus text format,
 * written by prom-client. Values are set from the reports at each scrape (the rounds run on
 * their own timer), so a group or partition no longer watched leaves no stale series.
 */
export class LagMetrics {
  private readonly registry = new Registry();
  private readonly exporter;
  private readonly own;

  constructor(private readonly watches: readonly ClusterWatch[]) {
    const registers = [this.registry];
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Gauge<L>({ name, help, labelNames, registers });
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Counter<L>({ name, help, labelNames, registers });
    const group = ['cluster_name', 'group', 'is_simple_consumer'] as const;
    this.exporter = {
      offset: gauge(
        'kafka_consumergroup_group_offset',
        'The offset the group committed for this partition',
        exporterPartitionLabels,
      ),
      lag: gauge(
        'kafka_consumergroup_group_lag',
        'Records between the log end and the committed offset of this partition',
        exporterPartitionLabels,
      ),
      lagSeconds: gauge(
        'kafka_consumergroup_group_lag_seconds',
        'How long ago the log end was at the committed offset of this partition',
        exporterPartitionLabels,
      ),
      maxLag: gauge(
        'kafka_consumergroup_group_max_lag',
        'The greatest partition lag of the group',
        group,
      ),
      maxLagSeconds: gauge(
        'kafka_consumergroup_group_max_lag_seconds',
        'The greatest partition lag in seconds of the group',
        group,
      ),
      sumLag: gauge('kafka_consumergroup_group_sum_lag', 'The lag of the group, summed', [
        'cluster_name',
        'group',
      ]),
      topicSumLag: gauge(
        'kafka_consumergroup_group_topic_sum_lag',
        'The lag of the group on one topic, summed',
        ['cluster_name', 'group', 'topic'],
      ),
      latest: gauge('kafka_partition_latest_offset', 'The log-end offset of the partition', [
        'cluster_name',
        'topic',
        'partition',
      ]),
      earliest: gauge('kafka_partition_earliest_offset', 'The log-start offset of the partition', [
        'cluster_name',
        'topic',
        'partition',
      ]),
    };
    const partition = ['cluster', 'group', 'topic', 'partition'] as const;
    this.own = {
      status: gauge(
        'kafka_lag_monitor_partition_status',
        'Burrow-style status of the partition: 0 OK, 1 WARN, 2 REWIND, 3 STALL, 4 STOP',
        partition,
      ),
      groupStatus: gauge(
        'kafka_lag_monitor_group_status',
        'Burrow-style status of the group (its worst partition): 0 OK, 1 WARN, 2 REWIND, 3 STALL, 4 STOP',
        ['cluster', 'group'],
      ),
      groupLag: gauge(
        'kafka_lag_monitor_group_lag',
        'Records behind, all partitions of the group',
        ['cluster', 'group'],
      ),
      groupLagSeconds: gauge(
        'kafka_lag_monitor_group_lag_seconds',
        'Seconds behind, the partition furthest behind',
        ['cluster', 'group'],
      ),
      members: gauge('kafka_lag_monitor_group_members', 'Members of the group', [
        'cluster',
        'group',
      ]),
      roundDuration: gauge(
        'kafka_lag_monitor_round_duration_seconds',
        'How long the last sampling round took',
        ['cluster'],
      ),
      roundAt: gauge(
        'kafka_lag_monitor_last_round_timestamp_seconds',
        'When the last sampling round started (Unix time)',
        ['cluster'],
      ),
      up: gauge('kafka_lag_monitor_up', '1 when the last sampling round succeeded, else 0', [
        'cluster',
      ]),
      rounds: counter('kafka_lag_monitor_rounds_total', 'Sampling rounds run', ['cluster']),
      roundErrors: counter('kafka_lag_monitor_round_errors_total', 'Sampling rounds that failed', [
        'cluster',
      ]),
    };
  }

  /** The content type Prometheus expects for `render()`'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition of the latest rounds. */
  async render(): Promise<string> {
    this.registry.resetMetrics();
    for (const watch of this.watches) this.set(watch);
    return this.registry.metrics();
  }

  private set(watch: ClusterWatch): void {
    const { exporter, own } = this;
    const cluster = watch.name;
    const rounds = watch.rounds;
    own.rounds.inc({ cluster }, rounds.total);
    own.roundErrors.inc({ cluster }, rounds.failed);
    own.up.set({ cluster }, rounds.last && !rounds.last.error ? 1 : 0);
    if (rounds.last) {
      own.roundDuration.set({ cluster }, rounds.last.durationMs / 1000);
      own.roundAt.set({ cluster }, rounds.last.at / 1000);
    }
    const offsetsSet = new Set<string>();
    for (const report of watch.monitor.reports()) {
      const group = report.group;
      const simple = report.protocolType === '' ? 'true' : 'false';
      own.groupStatus.set({ cluster, group }, statusCodes[report.status]);
      own.groupLag.set({ cluster, group }, report.totalLag);
      own.members.set({ cluster, group }, report.members);
      exporter.sumLag.set({ cluster_name: cluster, group }, report.totalLag);
      if (report.maxLag) {
        exporter.maxLag.set(
          { cluster_name: cluster, group, is_simple_consumer: simple },
          report.maxLag.lag,
        );
      }
      if (report.maxLagSeconds !== null) {
        own.groupLagSeconds.set({ cluster, group }, report.maxLagSeconds);
        exporter.maxLagSeconds.set(
          { cluster_name: cluster, group, is_simple_consumer: simple },
          report.maxLagSeconds,
        );
      }
      const topicLag = new Map<string, number>();
      for (const p of report.partitions) {
        const partition = String(p.partition);
        const at = {
          cluster_name: cluster,
          group,
          topic: p.topic,
          partition,
          member_host: p.ownerHost ?? '',
          consumer_id: p.ownerMemberId ?? '',
          client_id: p.owner ?? '',
        };
        const tp = `${p.topic}\u0000${partition}`;
        if (!offsetsSet.has(tp)) {
          // Partitions that several groups read are the same partition: one series.
          offsetsSet.add(tp);
          const where = { cluster_name: cluster, topic: p.topic, partition };
          exporter.latest.set(where, Number(p.logEnd));
          if (p.logStart !== null) exporter.earliest.set(where, Number(p.logStart));
        }
        if (p.committed !== null) exporter.offset.set(at, Number(p.committed));
        if (p.lag !== null) {
          exporter.lag.set(at, p.lag);
          topicLag.set(p.topic, (topicLag.get(p.topic) ?? 0) + p.lag);
        }
        if (p.lagSeconds !== null) exporter.lagSeconds.set(at, p.lagSeconds);
        if (p.status !== 'NO_COMMIT') {
          own.status.set({ cluster, group, topic: p.topic, partition }, statusCodes[p.status]);
        }
      }
      for (const [topic, lag] of topicLag) {
        exporter.topicSumLag.set({ cluster_name: cluster, group, topic }, lag);
      }
    }
  }
}
