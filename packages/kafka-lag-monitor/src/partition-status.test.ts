import { describe, expect, it } from 'vitest';
import {
  judgePartition,
  severityOf,
  worse,
  type LagSample,
  type PartitionStatus,
} from './partition-status.js';

const rules = { window: 4, allowedLag: 0n };

/** Samples one second apart from [committed, logEnd] pairs. */
const series = (...pairs: [number, number][]): LagSample[] =>
  pairs.map(([committed, logEnd], i) => ({
    at: 1_000 * i,
    committed: BigInt(committed),
    logEnd: BigInt(logEnd),
  }));

describe('judgePartition: one case per rule and its boundaries', () => {
  it.each<[string, LagSample[], boolean, PartitionStatus]>([
    // Rule 1: lag zero at any point of the window is OK, whatever else happens.
    ['caught up all along', series([10, 10], [20, 20], [30, 30], [40, 40]), true, 'OK'],
    [
      'caught up only in the first sample',
      series([10, 10], [10, 20], [10, 30], [10, 40]),
      false,
      'OK',
    ],
    ['caught up only in the last sample', series([5, 10], [5, 20], [5, 30], [40, 40]), true, 'OK'],
    [
      'committed ahead of a stale log end counts as zero',
      series([12, 10], [13, 20], [14, 30], [15, 40]),
      true,
      'OK',
    ],
    // Rule 2: the committed offset went backwards.
    ['rewind in the middle', series([10, 50], [30, 50], [20, 50], [25, 50]), true, 'REWIND'],
    ['rewind on the last sample', series([10, 50], [20, 50], [30, 50], [29, 50]), false, 'REWIND'],
    // Rules 3 and 4: it did not move, with lag all along.
    ['not moving, owned: STALL', series([10, 20], [10, 20], [10, 30], [10, 40]), true, 'STALL'],
    [
      'not moving, nobody owns it: STOP',
      series([10, 20], [10, 20], [10, 30], [10, 40]),
      false,
      'STOP',
    ],
    [
      'not moving, lag constant, no member: STOP',
      series([10, 11], [10, 11], [10, 11], [10, 11]),
      false,
      'STOP',
    ],
    // Rule 5: it moves but the lag never shrinks.
    ['moving, lag growing: WARN', series([10, 20], [15, 30], [20, 40], [25, 50]), true, 'WARN'],
    ['moving, lag flat: WARN', series([10, 20], [20, 30], [30, 40], [40, 50]), true, 'WARN'],
    ['moving, lag shrinks once: OK', series([10, 20], [15, 30], [28, 36], [30, 45]), true, 'OK'],
    [
      'moving with one pause, lag shrinks at the end: OK',
      series([10, 20], [10, 25], [10, 30], [29, 30]),
      false,
      'OK',
    ],
  ])('%s', (_, samples, owned, expected) => {
    expect(judgePartition(samples, owned, rules)).toEqual({ status: expected, complete: 1 });
  });

  it('does not judge before the window is complete, and says how complete it is', () => {
    const stuck = series([10, 20], [10, 30], [10, 40]);
    expect(judgePartition(stuck, false, rules)).toEqual({ status: 'OK', complete: 0.75 });
    expect(judgePartition([], false, rules)).toEqual({ status: 'OK', complete: 0 });
  });

  it('looks at the last `window` samples only', () => {
    const recovered = series(
      [10, 20],
      [10, 30],
      [10, 40],
      [30, 45],
      [35, 50],
      [40, 55],
      [45, 60],
      [50, 65],
    );
    // The early stall has slid out; the last four move with a lag of 15 throughout: WARN.
    expect(judgePartition(recovered, true, rules).status).toBe('WARN');
    expect(judgePartition(recovered, true, { window: 6, allowedLag: 0n }).status).toBe('OK');
  });

  it('allowedLag treats a small lag as caught up, at its boundary', () => {
    const small = series([10, 13], [10, 13], [10, 13], [10, 13]);
    expect(judgePartition(small, true, { window: 4, allowedLag: 3n }).status).toBe('OK');
    expect(judgePartition(small, true, { window: 4, allowedLag: 2n }).status).toBe('STALL');
  });

  it('refuses a window that cannot show a trend', () => {
    expect(() => judgePartition([], true, { window: 1, allowedLag: 0n })).toThrow(/at least 2/);
  });
});

describe('worse and severityOf', () => {
  it('orders OK < WARN < REWIND < STALL < STOP and maps to Burrow severities', () => {
    const order: PartitionStatus[] = ['OK', 'WARN', 'REWIND', 'STALL', 'STOP'];
    for (const [i, a] of order.entries()) {
      for (const [j, b] of order.entries()) expect(worse(a, b)).toBe(order[Math.max(i, j)]);
    }
    expect(order.map(severityOf)).toEqual(['OK', 'WARN', 'ERR', 'ERR', 'ERR']);
  });
});
