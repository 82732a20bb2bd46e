import { describe, expect, it } from 'vitest';
import { alternate, roundOrder, childrenCpuMs } from './measure.js';

/** How often each contender ran right after each other one, over `rounds` rounds. */
function follows(count: number, rounds: number): Map<string, number> {
  const pairs = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    const order = roundOrder(count, r);
    expect([...order].sort()).toEqual(Array.from({ length: count }, (_, i) => i));
    for (let i = 1; i < order.length; i++) {
      const key = `${order[i - 1]}>${order[i]}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
  }
  return pairs;
}

describe('roundOrder', () => {
  it('for an even count, puts each contender right after each other once in count rounds', () => {
    for (const count of [2, 4, 6]) {
      const pairs = follows(count, count);
      expect(pairs.size).toBe(count * (count - 1));
      expect([...pairs.values()].every((n) => n === 1)).toBe(true);
    }
  });

  it('for an odd count, twice in 2 x count rounds', () => {
    for (const count of [3, 5]) {
      const pairs = follows(count, 2 * count);
      expect(pairs.size).toBe(count * (count - 1));
      expect([...pairs.values()].every((n) => n === 2)).toBe(true);
    }
  });

  it('starts 0, n-1, 1, n-2 and refuses a count below 1', () => {
    expect(roundOrder(4, 0)).toEqual([0, 3, 1, 2]);
    expect(roundOrder(4, 1)).toEqual([1, 0, 2, 3]);
    expect(roundOrder(1, 7)).toEqual([0]);
    expect(() => roundOrder(0, 0)).toThrow('count must be >= 1, got 0');
  });
});

describe('alternate', () => {
  it('warms every contender up, then runs each once per round in the balanced order', async () => {
    const calls: string[] = [];
    const contender = (name: string) => ({
      name,
      run: () => {
        calls.push(name);
        return { records: 1, bytes: 1 };
      },
    });
    const samples = await alternate([contender('a'), contender('b'), contender('c')], {
      warmup: 1,
      rounds: 2,
    });
    // Two rounds asked, six run: one whole balanced cycle of three contenders.
    expect(calls.slice(0, 9)).toEqual(['a', 'b', 'c', 'a', 'c', 'b', 'b', 'a', 'c']);
    expect([...samples.values()].map((s) => s.length)).toEqual([6, 6, 6]);
  });
});

describe('childrenCpuMs', () => {
  it('adds cutime and cstime (fields 16 and 17) in 10 ms ticks, also when the name has spaces', () => {
    const stat =
      '4242 (node (worker) x) S 1 4242 4242 0 -1 4194560 1000 200 0 0 150 30 250 70 20 0 11 0 100 0 0';
    expect(childrenCpuMs(stat)).toBe(3_200);
  });

  it('is undefined without a stat line', () => {
    expect(childrenCpuMs('garbage')).toBeUndefined();
  });
});
