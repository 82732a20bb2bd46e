import { describe, expect, it } from 'vitest';
import { ClusterWatch } from './cluster-watch.js';
import { sampleReport } from './report-fixture.js';
import { FakeMonitor } from './watch-fixture.js';

describe('ClusterWatch', () => {
  it('keeps the last rounds of each group, oldest first, and forgets groups no longer reported', () => {
    const monitor = new FakeMonitor();
    const watch = new ClusterWatch('local', monitor, 3);
    for (let i = 0; i < 5; i++) {
      monitor.completeRound([
        sampleReport({ at: i, totalLag: i * 10 }),
        sampleReport({ group: 'billing', at: i }),
      ]);
    }
    expect(watch.history('orders-fulfilment').map((p) => [p.at, p.totalLag])).toEqual([
      [2, 20],
      [3, 30],
      [4, 40],
    ]);
    expect(watch.history('orders-fulfilment')[0]).toEqual({
      at: 2,
      totalLag: 20,
      maxLagSeconds: 12.5,
      status: 'WARN',
    });
    monitor.completeRound([sampleReport({ at: 5 })]);
    expect(watch.history('billing')).toEqual([]);
    // A failed round forgets nothing.
    monitor.failRound(new Error('down'));
    expect(watch.history('orders-fulfilment')).toHaveLength(3);
    expect(watch.rounds).toMatchObject({ total: 7, failed: 1 });
    watch.close();
    monitor.completeRound([sampleReport({ at: 6 })]);
    expect(watch.rounds.total).toBe(7);
  });

  it('is ready after a successful round that is not overdue, and says why not otherwise', () => {
    const monitor = new FakeMonitor();
    const watch = new ClusterWatch('eu-1', monitor);
    expect(watch.readiness(0)).toEqual({
      ready: false,
      reason: 'cluster "eu-1": no round completed yet',
    });
    monitor.completeRound([], 1_000, 500);
    expect(watch.readiness(2_000)).toEqual({ ready: true });
    expect(watch.readiness(1_500 + 15_000)).toEqual({ ready: true });
    expect(watch.readiness(1_500 + 15_001)).toEqual({
      ready: false,
      reason: 'cluster "eu-1": no round for 15 s',
    });
    monitor.failRound(new Error('cannot reach the cluster at k:9092'), 20_000);
    expect(watch.readiness(21_000)).toEqual({
      ready: false,
      reason: 'cluster "eu-1": last round failed: cannot reach the cluster at k:9092',
    });
  });

  it('refuses a cluster name the routes cannot carry', () => {
    expect(() => new ClusterWatch('eu 1', new FakeMonitor())).toThrow(
      'cluster name "eu 1" must match',
    );
    expect(() => new ClusterWatch('', new FakeMonitor())).toThrow('must match');
  });
});
