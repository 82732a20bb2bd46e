import { describe, expect, it } from 'vitest';
import { LagHistory } from './lag-history.js';

const sample = (at: number, committed: bigint, logEnd: bigint) => ({ at, committed, logEnd });

describe('LagHistory', () => {
  it('keeps the last `size` samples of each group and partition, oldest first', () => {
    const history = new LagHistory(8);
    for (let i = 0; i < 5; i++) history.addSample('g', 'orders', 0, sample(i, 0n, 10n), 3);
    const window = history.addSample('g', 'orders', 0, sample(5, 1n, 10n), 3);
    expect(window.map((s) => s.at)).toEqual([3, 4, 5]);
    // Another group and another partition have windows of their own.
    expect(history.addSample('h', 'orders', 0, sample(9, 0n, 1n), 3)).toHaveLength(1);
    expect(history.addSample('g', 'orders', 1, sample(9, 0n, 1n), 3)).toHaveLength(1);
  });

  it('a smaller size trims a longer window at once', () => {
    const history = new LagHistory(8);
    for (let i = 0; i < 6; i++) history.addSample('g', 't', 0, sample(i, 0n, 1n), 10);
    expect(history.addSample('g', 't', 0, sample(6, 0n, 1n), 2).map((s) => s.at)).toEqual([5, 6]);
  });

  it('forgets a window, and every group not watched', () => {
    const history = new LagHistory(8);
    history.addSample('g', 't', 0, sample(0, 0n, 1n), 5);
    history.addSample('h', 't', 0, sample(0, 0n, 1n), 5);
    history.forgetWindow('g', 't', 0);
    expect(history.addSample('g', 't', 0, sample(1, 0n, 1n), 5)).toHaveLength(1);
    history.forgetGroupsBut(new Set(['g']));
    expect(history.addSample('h', 't', 0, sample(1, 0n, 1n), 5)).toHaveLength(1);
    expect(history.addSample('g', 't', 0, sample(2, 0n, 1n), 5)).toHaveLength(2);
  });

  it('keeps one log-end timeline per partition, shared by every group', () => {
    const history = new LagHistory(8);
    expect(history.timeline('t', 0)).toBeUndefined();
    history.logEndSeen('t', 0, 100n, 1_000);
    history.logEndSeen('t', 0, 200n, 2_000);
    expect(history.timeline('t', 0)?.timeOf(150n)).toBe(1_500);
    expect(history.timeline('t', 1)).toBeUndefined();
  });
});
