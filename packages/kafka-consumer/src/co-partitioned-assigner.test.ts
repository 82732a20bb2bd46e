import { describe, expect, it } from 'vitest';
import { coPartitionedAssignment, sourceTopicOf } from './co-partitioned-assigner.js';

const all = ['orders', 'orders.retry.1', 'orders.retry.2'];
const partitions = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('sourceTopicOf', () => {
  it('maps retry topics to their source and leaves others', () => {
    expect(sourceTopicOf('orders.retry.1')).toBe('orders');
    expect(sourceTopicOf('a.b.retry.12')).toBe('a.b');
    expect(sourceTopicOf('orders')).toBe('orders');
    expect(sourceTopicOf('orders.dlq')).toBe('orders.dlq');
    expect(sourceTopicOf('.retry.1')).toBe('.retry.1');
  });
});

describe('coPartitionedAssignment', () => {
  it('gives partition p of a topic and of its retry topics to one member', () => {
    const members = ['c', 'a', 'b'].map((memberId) => ({ memberId, topics: all }));
    const byTopic = new Map(all.map((t) => [t, partitions(7)]));
    const result = coPartitionedAssignment(members, byTopic);
    for (let p = 0; p < 7; p++) {
      const owners = all.map(
        (t) => [...result].find(([, a]) => a[t]?.includes(p))?.[0] ?? 'nobody',
      );
      expect(new Set(owners).size).toBe(1);
      expect(owners[0]).not.toBe('nobody');
    }
    // Balanced: 7 units over 3 members -> 3, 2, 2.
    const loads = [...result.values()].map((a) => a['orders']?.length ?? 0).sort();
    expect(loads).toEqual([2, 2, 3]);
  });

  it('is the same whatever order the members arrive in', () => {
    const byTopic = new Map(all.map((t) => [t, partitions(5)]));
    const one = coPartitionedAssignment(
      ['x', 'y'].map((memberId) => ({ memberId, topics: all })),
      byTopic,
    );
    const two = coPartitionedAssignment(
      ['y', 'x'].map((memberId) => ({ memberId, topics: all })),
      byTopic,
    );
    expect(Object.fromEntries(one)).toEqual(Object.fromEntries(two));
  });

  it('assigns every partition exactly once, also with a retry topic that has more partitions', () => {
    const byTopic = new Map([
      ['orders', partitions(3)],
      ['orders.retry.1', partitions(5)],
      ['payments', partitions(4)],
    ]);
    const members = [
      { memberId: 'm1', topics: ['orders', 'orders.retry.1', 'payments'] },
      { memberId: 'm2', topics: ['orders', 'orders.retry.1', 'payments'] },
    ];
    const result = coPartitionedAssignment(members, byTopic);
    for (const [topic, ps] of byTopic) {
      const assigned = [...result.values()].flatMap((a) => a[topic] ?? []).sort();
      expect(assigned).toEqual([...ps]);
    }
  });

  it('only gives a topic to members subscribed to it, and leaves a member with no topics empty', () => {
    const byTopic = new Map([
      ['orders', partitions(2)],
      ['payments', partitions(2)],
    ]);
    const result = coPartitionedAssignment(
      [
        { memberId: 'a', topics: ['orders'] },
        { memberId: 'b', topics: ['payments'] },
        { memberId: 'c', topics: [] },
      ],
      byTopic,
    );
    expect(result.get('a')).toEqual({ orders: [0, 1] });
    expect(result.get('b')).toEqual({ payments: [0, 1] });
    expect(result.get('c')).toEqual({});
  });

  it('gives a single member everything', () => {
    const byTopic = new Map(all.map((t) => [t, partitions(4)]));
    const result = coPartitionedAssignment([{ memberId: 'solo', topics: all }], byTopic);
    expect(result.get('solo')).toEqual(Object.fromEntries(all.map((t) => [t, partitions(4)])));
  });
});
