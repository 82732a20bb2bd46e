import { describe, expect, it } from 'vitest';
import { median, ratio, summarise } from './round-stats.js';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5])).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 10, 1, 1000, 10])).toBe(10);
    expect(() => median([])).toThrow('median of no values');
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('summarise', () => {
  it('gives median, min and max records per second, MB/s and CPU per record', () => {
    const s = summarise([
      { records: 1000, bytes: 256_000, wallMs: 100, cpuMs: 50 },
      { records: 1000, bytes: 256_000, wallMs: 200, cpuMs: 60 },
      { records: 1000, bytes: 256_000, wallMs: 125, cpuMs: 40 },
    ]);
    expect(s.rounds).toBe(3);
    expect(s.recordsPerSecond).toEqual({ median: 8000, min: 5000, max: 10_000 });
    expect(s.megabytesPerSecond).toBeCloseTo(2.048, 6);
    expect(s.cpuMicrosPerRecord).toBe(50);
  });

  it('refuses no samples and a sample with no records or no time, naming it', () => {
    expect(() => summarise([])).toThrow('no samples');
    expect(() =>
      summarise([
        { records: 1, bytes: 1, wallMs: 1, cpuMs: 0 },
        { records: 0, bytes: 0, wallMs: 5, cpuMs: 0 },
      ]),
    ).toThrow('sample 1: needs records > 0 and wallMs > 0, got 0 in 5 ms');
  });
});

describe('summarise without CPU figures', () => {
  it('leaves CPU per record undefined when a round has none', () => {
    const s = summarise([
      { records: 10, bytes: 10, wallMs: 10, cpuMs: undefined },
      { records: 10, bytes: 10, wallMs: 10, cpuMs: 5 },
    ]);
    expect(s.cpuMicrosPerRecord).toBeUndefined();
    expect(s.recordsPerSecond.median).toBe(1000);
  });
});

describe('ratio', () => {
  it('divides by the baseline, and has none without one', () => {
    expect(ratio(95, 100)).toBe(0.95);
    expect(ratio(1, undefined)).toBeUndefined();
    expect(ratio(1, 0)).toBeUndefined();
  });
});
