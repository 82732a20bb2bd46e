import { describe, expect, it } from 'vitest';
import { OffsetTimeTable, lagSeconds } from './offset-time-table.js';

describe('OffsetTimeTable', () => {
  it('interpolates between points and knows nothing with fewer than two', () => {
    const t = new OffsetTimeTable();
    expect(t.timeOf(5n)).toBeUndefined();
    t.add(100n, 10_000);
    expect(t.timeOf(100n)).toBeUndefined();
    t.add(200n, 20_000);
    expect(t.timeOf(150n)).toBe(15_000);
    expect(t.timeOf(100n)).toBe(10_000);
    expect(t.timeOf(250n)).toBe(20_000); // past the newest point: its time
  });

  it('extrapolates before the oldest point at the average rate', () => {
    const t = new OffsetTimeTable();
    t.add(100n, 10_000);
    t.add(200n, 20_000);
    expect(t.timeOf(50n)).toBe(5_000);
  });

  it('keeps the first time an offset was seen (a quiet log end)', () => {
    const t = new OffsetTimeTable();
    t.add(100n, 1_000);
    t.add(100n, 5_000);
    t.add(200n, 6_000);
    expect(t.size).toBe(2);
    expect(t.timeOf(150n)).toBe(3_500);
  });

  it('restarts when the log end goes backwards (topic recreated)', () => {
    const t = new OffsetTimeTable();
    t.add(500n, 1_000);
    t.add(600n, 2_000);
    t.add(10n, 3_000);
    expect(t.size).toBe(1);
  });

  it('stays within its capacity and keeps the corners of a rate change', () => {
    const t = new OffsetTimeTable(8);
    // 10 records/s for 100 s, then 100 records/s for 100 s, one point per second.
    let offset = 0n;
    for (let s = 0; s <= 200; s++) {
      t.add(offset, s * 1_000);
      offset += s < 100 ? 10n : 100n;
    }
    expect(t.size).toBe(8);
    // Exact on both straight stretches, thanks to the kept corner at 100 s.
    expect(t.timeOf(500n)).toBeCloseTo(50_000, 0);
    expect(t.timeOf(1_000n + 5_000n)).toBeCloseTo(150_000, 0);
  });

  it('refuses a capacity that cannot interpolate', () => {
    expect(() => new OffsetTimeTable(2)).toThrow(/at least 3/);
  });
});

describe('lagSeconds', () => {
  const t = new OffsetTimeTable();
  t.add(0n, 0);
  t.add(1_000n, 10_000);

  it('is how long ago the log end was at the committed offset', () => {
    expect(lagSeconds(t, 500n, 1_000n, 12_000)).toBe(7);
  });

  it('is 0 at or past the log end, and unknown without a table', () => {
    expect(lagSeconds(t, 1_000n, 1_000n, 99_000)).toBe(0);
    expect(lagSeconds(new OffsetTimeTable(), 5n, 10n, 1)).toBeUndefined();
  });
});
