import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { javaPartitionForKey } from './murmur2.js';
import type { PartitionerMessage } from './partitioner.js';
import { vipPriorityPartitioner } from './vip-priority-partitioner.js';
import { tierLayout } from './vip-tiers.js';

const metadata = (n: number, leaderless: number[] = []) =>
  Array.from({ length: n }, (_, i) => ({
    partitionId: i,
    leader: leaderless.includes(i) ? -1 : 1,
  }));

// VIP customers are those whose id ends in 7; the customer id is in a header.
const isVip = (m: PartitionerMessage) => String(m.headers?.customer ?? '').endsWith('7');
const record = (i: number, keyed = true): PartitionerMessage => ({
  key: keyed ? `order-${i}` : null,
  value: 'v',
  headers: { customer: `c-${i % 100}` },
});

describe('vipPriorityPartitioner', () => {
  it.each([1, 2, 3, 10, 12, 100])(
    'keeps the tiers apart and each key on one partition, %i partitions',
    (n) => {
      const partition = vipPriorityPartitioner({ isVip });
      const layout = tierLayout(n, { vipShare: 0.8 });
      const seen = new Map<string, number>();
      const used = { vip: new Set<number>(), other: new Set<number>() };
      for (let i = 0; i < 20_000; i++) {
        const message = record(i % 5_000);
        const p = partition({
          topic: 'orders',
          partitionCount: n,
          partitions: metadata(n),
          message,
        });
        const vip = isVip(message);
        if (vip) expect(p).toBeLessThan(layout.vipCount);
        else expect(p).toBeGreaterThanOrEqual(layout.otherStart);
        expect(p).toBeLessThan(n);
        const key = message.key as string;
        expect(seen.get(key) ?? p).toBe(p);
        seen.set(key, p);
        (vip ? used.vip : used.other).add(p);
      }
      // Keys spread over the whole of their tier.
      expect(used.vip.size).toBe(layout.vipCount);
      expect(used.other.size).toBe(layout.otherCount);
    },
  );

  it('with 10 partitions and vipShare 0.8: VIP on 0-7, others on 8-9, by the murmur2 rule within the tier', () => {
    const partition = vipPriorityPartitioner({ isVip, vipShare: 0.8 });
    for (let i = 0; i < 1000; i++) {
      const message = record(i);
      const p = partition({
        topic: 'orders',
        partitionCount: 10,
        partitions: metadata(10),
        message,
      });
      if (isVip(message)) expect(p).toBe(javaPartitionForKey(message.key as string, 8));
      else expect(p).toBe(8 + javaPartitionForKey(message.key as string, 2));
    }
  });

  it('spreads unkeyed records over their tier only, skipping leaderless partitions', () => {
    const partition = vipPriorityPartitioner({ isVip });
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const message = record(i, false);
      const p = partition({
        topic: 'orders',
        partitionCount: 10,
        partitions: metadata(10, [3]),
        message,
      });
      counts[p]!++;
      if (isVip(message)) expect(p).toBeLessThan(8);
      else expect(p).toBeGreaterThanOrEqual(8);
    }
    expect(counts[3]).toBe(0);
    // 10% VIP traffic over 7 live VIP partitions, 90% over 2 others: roughly even within a tier.
    for (const p of [0, 1, 2, 4, 5, 6, 7]) expect(counts[p]).toBeGreaterThan(100);
    expect(Math.abs(counts[8]! - counts[9]!)).toBeLessThan(50);
  });

  it('warns once that a 1-partition topic cannot give VIPs priority', () => {
    const lines: string[] = [];
    const partition = vipPriorityPartitioner({
      isVip,
      logger: jsonLogger('debug', (l) => lines.push(l)),
    });
    for (let i = 0; i < 10; i++) {
      expect(
        partition({
          topic: 'tiny',
          partitionCount: 1,
          partitions: metadata(1),
          message: record(i),
        }),
      ).toBe(0);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Topic \\"tiny\\" has 1 partition');
  });

  it.each([
    [{ isVip: undefined }, 'isVip: expected a function'],
    [{ isVip, vipShare: 1 }, 'vipShare: expected a number between 0 and 1 (exclusive), got 1'],
    [{ isVip, vipShare: 0 }, 'got 0'],
    [{ isVip, vipPartitions: 0 }, 'vipPartitions: expected a positive integer, got 0'],
    [
      { isVip, vipShare: 0.5, vipPartitions: 2 },
      'vipPartitions: set vipShare or vipPartitions, not both',
    ],
  ])('refuses %j', (options, message) => {
    expect(() => vipPriorityPartitioner(options as never)).toThrow(message);
  });
});
