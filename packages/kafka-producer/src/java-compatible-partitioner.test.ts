import { describe, expect, it } from 'vitest';
import { javaCompatiblePartitioner } from './java-compatible-partitioner.js';
import { javaPartitionForKey } from './murmur2.js';

const metadata = (n: number, leaderless: number[] = []) =>
  Array.from({ length: n }, (_, i) => ({
    partitionId: i,
    leader: leaderless.includes(i) ? -1 : 1,
  }));

describe('javaCompatiblePartitioner', () => {
  it('puts a keyed record where the Java client does, even when that partition has no leader', () => {
    const partition = javaCompatiblePartitioner();
    for (let i = 0; i < 1000; i++) {
      const key = `k-${i}`;
      expect(
        partition({
          topic: 't',
          partitionCount: 12,
          partitions: metadata(12, [0, 1, 2]),
          message: { key, value: 'v' },
        }),
      ).toBe(javaPartitionForKey(key, 12));
    }
  });

  it('spreads unkeyed records evenly over partitions with a leader', () => {
    const partition = javaCompatiblePartitioner();
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++)
      counts[
        partition({
          topic: 't',
          partitionCount: 6,
          partitions: metadata(6, [2]),
          message: { key: null, value: 'v' },
        })
      ]!++;
    expect(counts[2]).toBe(0);
    for (const p of [0, 1, 3, 4, 5]) expect(counts[p]).toBe(1200);
  });
});
