import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { ClusterWatch } from './cluster-watch.js';
import { LagMetrics } from './prometheus-metrics.js';
import { sampleReport } from './report-fixture.js';
import { FakeMonitor } from './watch-fixture.js';

async function scrape(metrics: LagMetrics) {
  const families = parsePrometheusTextFormat(await metrics.render());
  const byName = new Map(families.map((f) => [f.name, f]));
  /** The value of the one sample of `name` whose labels include `labels`. */
  const value = (name: string, labels: Record<string, string> = {}) => {
    const found = (byName.get(name)?.metrics ?? []).filter((m) =>
      Object.entries(labels).every(([k, v]) => m.labels?.[k] === v),
    );
    if (found.length !== 1)
      throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
    return Number(found[0]!.value);
  };
  return { byName, value };
}

describe('Prometheus metrics', () => {
  const monitor = new FakeMonitor();
  const watch = new ClusterWatch('eu-1', monitor);
  const metrics = new LagMetrics([watch]);
  monitor.completeRound([
    sampleReport(),
    sampleReport({ group: 'billing', protocolType: '', members: 0, status: 'STOP', totalLag: 7 }),
  ]);

  it("speaks kafka-lag-exporter's names and labels, per partition and per group", async () => {
    const { byName, value } = await scrape(metrics);
    const p1 = {
      cluster_name: 'eu-1',
      group: 'orders-fulfilment',
      topic: 'orders',
      partition: '1',
      member_host: '10.0.0.7',
      consumer_id: 'fulfilment-1-5f1c2a7e',
      client_id: 'fulfilment-1',
    };
    expect(value('kafka_consumergroup_group_lag', p1)).toBe(100);
    expect(value('kafka_consumergroup_group_lag_seconds', p1)).toBe(12.5);
    expect(value('kafka_consumergroup_group_offset', p1)).toBe(800);
    expect(byName.get('kafka_consumergroup_group_lag')?.type).toBe('GAUGE');
    expect(
      Object.keys(byName.get('kafka_consumergroup_group_lag')!.metrics[0]!.labels!).sort(),
    ).toEqual([...Object.keys(p1)].sort());
    // No commit on partition 2: no lag or offset series (unknown is not zero), but its log end.
    expect(value('kafka_partition_latest_offset', { topic: 'orders', partition: '2' })).toBe(7);
    expect(() => value('kafka_consumergroup_group_lag', { partition: '2' })).toThrow('0 samples');
    const group = { cluster_name: 'eu-1', group: 'orders-fulfilment' };
    expect(
      value('kafka_consumergroup_group_max_lag', { ...group, is_simple_consumer: 'false' }),
    ).toBe(100);
    expect(value('kafka_consumergroup_group_max_lag_seconds', group)).toBe(12.5);
    expect(value('kafka_consumergroup_group_sum_lag', group)).toBe(120);
    expect(value('kafka_consumergroup_group_topic_sum_lag', { ...group, topic: 'orders' })).toBe(
      120,
    );
    expect(
      value('kafka_consumergroup_group_max_lag', { group: 'billing', is_simple_consumer: 'true' }),
    ).toBe(100);
  });

  it('adds its own: statuses, members, and how the rounds go', async () => {
    const { value } = await scrape(metrics);
    expect(
      value('kafka_lag_monitor_group_status', { cluster: 'eu-1', group: 'orders-fulfilment' }),
    ).toBe(1);
    expect(value('kafka_lag_monitor_group_status', { group: 'billing' })).toBe(4);
    expect(
      value('kafka_lag_monitor_partition_status', { group: 'orders-fulfilment', partition: '1' }),
    ).toBe(1);
    expect(value('kafka_lag_monitor_group_members', { group: 'billing' })).toBe(0);
    expect(value('kafka_lag_monitor_group_lag', { group: 'billing' })).toBe(7);
    expect(value('kafka_lag_monitor_round_duration_seconds', { cluster: 'eu-1' })).toBe(0.04);
    expect(value('kafka_lag_monitor_up', { cluster: 'eu-1' })).toBe(1);
    expect(value('kafka_lag_monitor_rounds_total', { cluster: 'eu-1' })).toBe(1);
  });

  it('counts failed rounds, drops groups no longer reported, and names several clusters apart', async () => {
    const other = new FakeMonitor();
    const both = new LagMetrics([watch, new ClusterWatch('us-1', other)]);
    other.completeRound([sampleReport()]);
    monitor.failRound(new Error('cannot reach the cluster'));
    let { value } = await scrape(both);
    expect(value('kafka_lag_monitor_up', { cluster: 'eu-1' })).toBe(0);
    expect(value('kafka_lag_monitor_round_errors_total', { cluster: 'eu-1' })).toBe(1);
    expect(value('kafka_lag_monitor_rounds_total', { cluster: 'eu-1' })).toBe(2);
    expect(value('kafka_lag_monitor_up', { cluster: 'us-1' })).toBe(1);
    expect(
      value('kafka_consumergroup_group_sum_lag', {
        cluster_name: 'us-1',
        group: 'orders-fulfilment',
      }),
    ).toBe(120);

    monitor.completeRound([sampleReport()]);
    ({ value } = await scrape(both));
    expect(() =>
      value('kafka_lag_monitor_group_status', { cluster: 'eu-1', group: 'billing' }),
    ).toThrow('0 samples');
  });

  it('leaves out the max lag of a group whose lag is unknown everywhere (unknown is not zero)', async () => {
    const quiet = new FakeMonitor();
    const unknown = sampleReport({
      group: 'new-group',
      totalLag: 0,
      maxLag: null,
      maxLagSeconds: null,
      partitions: [sampleReport().partitions[2]!],
    });
    quiet.completeRound([unknown]);
    const { byName } = await scrape(new LagMetrics([new ClusterWatch('eu-1', quiet)]));
    expect(byName.get('kafka_consumergroup_group_max_lag')?.metrics ?? []).toEqual([]);
    expect(byName.get('kafka_consumergroup_group_max_lag_seconds')?.metrics ?? []).toEqual([]);
    expect(byName.get('kafka_consumergroup_group_lag')?.metrics ?? []).toEqual([]);
  });
});
