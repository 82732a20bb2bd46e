import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay } from './backoff.js';

const policy = { initialDelayMs: 100, maxDelayMs: 5_000 };

describe('backoffCeiling', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [6, 3_200],
    [7, 5_000],
    [50, 5_000],
    [2_000, 5_000],
  ])('retry %i is capped at %i ms', (retry, ceiling) => {
    expect(backoffCeiling(retry, policy)).toBe(ceiling);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('spans [0, ceiling) as the random draw spans [0, 1)', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
    expect(backoffDelay(3, policy, () => 0.999999)).toBe(399);
  });

  it('stays within its ceiling over many draws and uses the whole range', () => {
    const delays = Array.from({ length: 10_000 }, () => backoffDelay(4, policy));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(800);
    expect(Math.max(...delays)).toBeGreaterThan(700);
    expect(Math.min(...delays)).toBeLessThan(100);
  });

  it('refuses a retry number that is not a positive integer', () => {
    expect(() => backoffDelay(0, policy)).toThrow('retry must be a positive integer, got 0');
    expect(() => backoffDelay(1.5, policy)).toThrow('got 1.5');
  });
});
