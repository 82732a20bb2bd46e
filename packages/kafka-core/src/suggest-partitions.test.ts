import { describe, expect, it } from 'vitest';
import { suggestPartitions } from './suggest-partitions.js';

describe('suggestPartitions', () => {
  it.each([
    [{ targetMBps: 1 }, 1],
    [{ targetMBps: 10 }, 1],
    [{ targetMBps: 10.01 }, 2],
    [{ targetMBps: 95 }, 10],
    [{ targetMBps: 100, perPartitionMBps: 25 }, 4],
    [{ targetMBps: 0.001, perPartitionMBps: 50 }, 1],
  ])('%j -> %i', (input, expected) => {
    expect(suggestPartitions(input)).toBe(expected);
  });

  it('names the bad field', () => {
    expect(() => suggestPartitions({ targetMBps: 0 })).toThrow(
      'targetMBps: expected a positive number, got 0',
    );
    expect(() => suggestPartitions({ targetMBps: 5, perPartitionMBps: Number.NaN })).toThrow(
      'perPartitionMBps: expected a positive number, got NaN',
    );
  });
});
