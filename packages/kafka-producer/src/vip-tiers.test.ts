import { describe, expect, it } from 'vitest';
import { tierLayout } from './vip-tiers.js';

describe('tierLayout', () => {
  it.each([
    [1, 0.8, { vipCount: 1, otherStart: 0, otherCount: 1, shared: true }],
    [2, 0.8, { vipCount: 1, otherStart: 1, otherCount: 1, shared: false }],
    [3, 0.8, { vipCount: 2, otherStart: 2, otherCount: 1, shared: false }],
    [10, 0.8, { vipCount: 8, otherStart: 8, otherCount: 2, shared: false }],
    [12, 0.8, { vipCount: 10, otherStart: 10, otherCount: 2, shared: false }],
    [100, 0.8, { vipCount: 80, otherStart: 80, otherCount: 20, shared: false }],
    [10, 0.05, { vipCount: 1, otherStart: 1, otherCount: 9, shared: false }],
    [10, 0.99, { vipCount: 9, otherStart: 9, otherCount: 1, shared: false }],
  ])('%i partitions, vipShare %f', (count, vipShare, expected) => {
    expect(tierLayout(count, { vipShare })).toEqual(expected);
  });

  it('takes an exact vipPartitions, capped so other records keep one partition', () => {
    expect(tierLayout(10, { vipPartitions: 3 }).vipCount).toBe(3);
    expect(tierLayout(10, { vipPartitions: 10 }).vipCount).toBe(9);
    expect(tierLayout(2, { vipPartitions: 5 }).vipCount).toBe(1);
  });

  it('defaults to an 80% VIP share', () => {
    expect(tierLayout(10, {}).vipCount).toBe(8);
  });

  it('refuses a partition count that is not a positive integer', () => {
    expect(() => tierLayout(0, {})).toThrow('partitionCount must be a positive integer, got 0');
  });
});
