import { describe, expect, it } from 'vitest';
import { groupMembership, type GroupMembership } from './group-membership.js';
import {
  groupReport,
  type CommittedTopic,
  type GroupRound,
  type LogOffsets,
} from './group-report.js';
import { LagHistory } from './lag-history.js';
import { PartitionMap } from './partition-map.js';
import type { GroupMember } from './types.js';

const rules = { window: 3, allowedLag: 0n };
const member: GroupMember = {
  memberId: 'svc-1-aaa',
  clientId: 'svc-1',
  host: '10.0.0.7',
  partitions: 2,
};

/** A membership where `member` owns the listed partitions of `orders`. */
function owning(...partitions: number[]): GroupMembership {
  const owners = new PartitionMap<GroupMember>();
  for (const p of partitions) owners.set('orders', p, member);
  return { list: partitions.length ? [member] : [], owners };
}

function logs(entries: [topic: string, partition: number, end: bigint, start?: string][]) {
  const map = new PartitionMap<LogOffsets>();
  for (const [topic, partition, end, start = '0'] of entries)
    map.set(topic, partition, { end, start });
  return map;
}

function round(
  overrides: Partial<GroupRound> & { committed: readonly CommittedTopic[] },
): GroupRound {
  return {
    groupId: 'fulfilment',
    at: 10_000,
    description: { state: 'Stable', protocolType: 'consumer' },
    membership: owning(0, 1),
    logOffsets: logs([
      ['orders', 0, 100n],
      ['orders', 1, 50n],
    ]),
    ...overrides,
  };
}

const committedAt = (offsets: Record<number, string>, topic = 'orders'): CommittedTopic => ({
  topic,
  partitions: Object.entries(offsets).map(([p, offset]) => ({ partition: Number(p), offset })),
});

describe('groupReport', () => {
  it('reports lag per partition with its owner, and the group totals', () => {
    const history = new LagHistory(8);
    const report = groupReport(
      round({ committed: [committedAt({ 0: '90', 1: '50' })] }),
      history,
      rules,
    )!;
    expect(report).toMatchObject({
      group: 'fulfilment',
      at: 10_000,
      state: 'Stable',
      protocolType: 'consumer',
      members: 1,
      totalLag: 10,
      maxLag: { topic: 'orders', partition: 0, lag: 10 },
      // One sample of a window of 3: nothing is judged yet.
      complete: 1 / 3,
      status: 'OK',
    });
    expect(report.partitions[0]).toEqual({
      topic: 'orders',
      partition: 0,
      logEnd: '100',
      committed: '90',
      lag: 10,
      lagSeconds: null,
      status: 'OK',
      complete: 1 / 3,
      owner: 'svc-1',
      ownerMemberId: 'svc-1-aaa',
      ownerHost: '10.0.0.7',
      logStart: '0',
    });
  });

  it('an owned partition without a commit is NO_COMMIT (lag unknown, not zero), and forgets its window', () => {
    const history = new LagHistory(8);
    groupReport(round({ committed: [committedAt({ 0: '90', 1: '40' })] }), history, rules);
    // Kafka answers -1 for a partition without a commit (offsets deleted, say).
    const report = groupReport(
      round({ committed: [committedAt({ 0: '90', 1: '-1' })] }),
      history,
      rules,
    )!;
    expect(report.partitions[1]).toMatchObject({
      partition: 1,
      committed: null,
      lag: null,
      status: 'NO_COMMIT',
      complete: 0,
    });
    expect(report.totalLag).toBe(10);
    // Committed again later: its window starts afresh, one sample of three.
    const again = groupReport(
      round({ committed: [committedAt({ 0: '90', 1: '45' })] }),
      history,
      rules,
    )!;
    expect(again.partitions[1]?.complete).toBe(1 / 3);
    const owned = groupReport(round({ committed: [committedAt({ 0: '90' })] }), history, rules)!;
    expect(owned.partitions.map((p) => [p.partition, p.status])).toEqual([
      [0, 'STALL'],
      [1, 'NO_COMMIT'],
    ]);
  });

  it('judges over the window: a stuck owned partition is STALL, a stuck unowned one STOP', () => {
    const owned = new LagHistory(8);
    const unowned = new LagHistory(8);
    let last = { owned: '', unowned: '' };
    for (let i = 0; i < 3; i++) {
      const committed = [committedAt({ 0: '90' })];
      last = {
        owned: groupReport(round({ committed, at: i * 1_000 }), owned, rules)!.status,
        unowned: groupReport(
          round({ committed, at: i * 1_000, membership: owning() }),
          unowned,
          rules,
        )!.status,
      };
    }
    expect(last).toEqual({ owned: 'STALL', unowned: 'STOP' });
  });

  it('never judges a retry topic: its records wait on purpose', () => {
    const history = new LagHistory(8);
    const reports = [0, 1, 2].map((i) =>
      groupReport(
        round({
          committed: [committedAt({ 0: '5' }, 'orders.retry.1')],
          membership: owning(),
          logOffsets: logs([['orders.retry.1', 0, 50n]]),
          at: i * 1_000,
        }),
        history,
        rules,
      ),
    );
    expect(reports[2]?.partitions[0]).toMatchObject({ status: 'OK', lag: 45, complete: 1 });
  });

  it('lag in seconds reads the log-end timeline the round recorded', () => {
    const history = new LagHistory(8);
    history.logEndSeen('orders', 0, 80n, 4_000);
    history.logEndSeen('orders', 0, 100n, 8_000);
    const report = groupReport(round({ committed: [committedAt({ 0: '90' })] }), history, rules)!;
    // The log end was at 90 at 6 s; the round is at 10 s.
    expect(report.partitions[0]?.lagSeconds).toBe(4);
    expect(report.maxLagSeconds).toBe(4);
  });

  it('a commit past the log end (a truncated log) is zero lag, never negative', () => {
    const report = groupReport(
      round({ committed: [committedAt({ 0: '120' })] }),
      new LagHistory(8),
      rules,
    )!;
    expect(report.partitions[0]).toMatchObject({ lag: 0, lagSeconds: 0 });
  });

  it('leaves out partitions whose log offsets the round did not read (topic deleted)', () => {
    const report = groupReport(
      round({ committed: [committedAt({ 0: '90' }), committedAt({ 0: '3' }, 'gone')] }),
      new LagHistory(8),
      rules,
    )!;
    expect(report.partitions.map((p) => `${p.topic}/${p.partition}`)).toEqual([
      'orders/0',
      'orders/1',
    ]);
  });

  it('sorts partitions by topic, then partition number (not as text)', () => {
    const membership = groupMembership([]);
    const report = groupReport(
      round({
        committed: [committedAt({ 10: '0', 2: '0' }, 'b'), committedAt({ 1: '0' }, 'a')],
        membership,
        logOffsets: logs([
          ['b', 10, 0n],
          ['b', 2, 0n],
          ['a', 1, 0n],
        ]),
      }),
      new LagHistory(8),
      rules,
    )!;
    expect(report.partitions.map((p) => `${p.topic}/${p.partition}`)).toEqual([
      'a/1',
      'b/2',
      'b/10',
    ]);
  });

  it('a group the coordinator no longer knows, with nothing committed, has no report', () => {
    expect(
      groupReport(
        round({ committed: [], description: undefined, membership: owning() }),
        new LagHistory(8),
        rules,
      ),
    ).toBeUndefined();
    // With commits left it is still reported, as Dead (a deleted group's offsets can outlive it).
    const dead = groupReport(
      round({
        committed: [committedAt({ 0: '90' })],
        description: undefined,
        membership: owning(),
      }),
      new LagHistory(8),
      rules,
    );
    expect(dead).toMatchObject({ state: 'Dead', protocolType: '', members: 0 });
  });

  it('is deterministic: the same rounds on a fresh history give the same reports', () => {
    const play = () => {
      const history = new LagHistory(8);
      return [0, 1, 2, 3].map((i) =>
        groupReport(
          round({ committed: [committedAt({ 0: String(90 + i), 1: '40' })], at: i * 500 }),
          history,
          rules,
        ),
      );
    };
    expect(play()).toEqual(play());
  });
});
