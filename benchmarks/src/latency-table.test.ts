import { describe, expect, it } from 'vitest';
import { medianRound, percentile, renderLatencyTable } from './latency-table.js';

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
        { name: 'a', latenciesMs: [1, 2, 3, 4], sendMs: [0.5, 1, 1.5, 2] },
        { name: 'b', latenciesMs: [5], note: 'no acknowledgements timed' },
        { name: 'c', latenciesMs: [], note: 'fell behind' },
      ],
    });
    expect(text.split('\n').slice(4, 9)).toEqual([
      '| contender | events | p50 ms | p99 ms | max ms | of which send() p50 / p99 ms | note |',
      '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
      '| a | 4 | 2.0 | 4.0 | 4.0 | 1.0 / 2.0 |  |',
      '| b | 1 | 5.0 | 5.0 | 5.0 | - | no acknowledgements timed |',
      '| c | 0 | - | - | - | - | fell behind |',
    ]);
  });
});

describe('medianRound', () => {
  const round = (p99: number, note?: string) => ({
    name: 'a',
    // 100 values: p50 is 1, p99 is `p99`.
    latenciesMs: [...Array.from({ length: 98 }, () => 1), p99, p99],
    ...(note ? { note } : {}),
  });

  it('shows the round of the median p99 and says every round', () => {
    const row = medianRound([round(300), round(50, 'fell behind'), round(80)]);
    expect(percentile(row.latenciesMs, 99)).toBe(80);
    expect(row.note).toBe(
      'round of the median p99 shown; p50 / p99 ms of the 3 rounds in run order: 1.0 / 300.0, 1.0 / 50.0, 1.0 / 80.0; round 2: fell behind',
    );
  });

  it('takes the lower middle of an even count, and a round with nothing timed as such', () => {
    const row = medianRound([round(90), { name: 'a', latenciesMs: [] }, round(40)]);
    expect(percentile(row.latenciesMs, 99)).toBe(40);
    expect(row.note).toContain('1.0 / 90.0, none timed, 1.0 / 40.0');
    expect(() => medianRound([])).toThrow('medianRound of no rounds');
  });
});
