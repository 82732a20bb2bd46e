import { describe, expect, it } from 'vitest';
import { percentile, renderLatencyTable } from './latency-table.js';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
  });

  it('refuses no values and a p outside 0-100', () => {
    expect(() => percentile([], 50)).toThrow('percentile of no values');
    expect(() => percentile([1], 101)).toThrow('p must be 0-100');
  });
});

describe('renderLatencyTable', () => {
  it('renders a row per contender, and an empty one as such', () => {
    const text = renderLatencyTable({
      title: 'T',
      setting: 'S',
      rows: [
        { name: 'a', latenciesMs: [1, 2, 3, 4] },
        { name: 'b', latenciesMs: [], note: 'fell behind' },
      ],
    });
    expect(text.split('\n').slice(4, 8)).toEqual([
      '| contender | events | p50 ms | p99 ms | max ms | note |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      '| a | 4 | 2.0 | 4.0 | 4.0 |  |',
      '| b | 0 | - | - | - | fell behind |',
    ]);
  });
});
