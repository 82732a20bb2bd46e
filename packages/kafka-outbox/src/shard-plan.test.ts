import { describe, expect, it } from 'vitest';
import { shardPlan } from './shard-plan.js';

const set = (...n: number[]) => new Set(n);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('shardPlan', () => {
  it('a lone relay wants every shard, from its start onwards', () => {
    const plan = shardPlan({ held: set(), relays: 1, shards: 8, start: 5 });
    expect(plan).toEqual({ release: [], want: 8, candidates: [5, 6, 7, 0, 1, 2, 3, 4] });
  });

  it('a relay holding everything gives back the highest half when a second one joins', () => {
    const plan = shardPlan({ held: new Set(range(0, 8)), relays: 2, shards: 8, start: 0 });
    expect(plan).toEqual({ release: [4, 5, 6, 7], want: 0, candidates: [] });
  });

  it('shares round up, so three relays cover 32 shards', () => {
    const plan = shardPlan({ held: set(), relays: 3, shards: 32, start: 0 });
    expect(plan.want).toBe(11);
    expect(plan.want * 3).toBeGreaterThanOrEqual(32);
  });

  it('tries only shards it does not hold', () => {
    const plan = shardPlan({ held: set(0, 2), relays: 1, shards: 4, start: 0 });
    expect(plan).toEqual({ release: [], want: 2, candidates: [1, 3] });
  });

  it('counts itself when the membership count is not yet visible (0 relays)', () => {
    expect(shardPlan({ held: set(), relays: 0, shards: 4, start: 0 }).want).toBe(4);
  });

  it('every shard ends up with exactly one relay, whatever the turn order (simulated)', () => {
    // Relays take turns in a random order; a lease is granted only when free (as
    // pg_try_advisory_lock does). After enough turns every shard is held by exactly one.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 200; trial++) {
      const shards = 1 + Math.floor(random() * 40);
      const relays = 1 + Math.floor(random() * 6);
      const owner = new Map<number, number>();
      const held = Array.from({ length: relays }, () => new Set<number>());
      const turn = (r: number, start: number) => {
        const mine = held[r] as Set<number>;
        const plan = shardPlan({ held: mine, relays, shards, start });
        for (const s of plan.release) {
          mine.delete(s);
          owner.delete(s);
        }
        let want = plan.want;
        for (const s of plan.candidates) {
          if (want === 0) break;
          if (owner.has(s)) continue;
          owner.set(s, r);
          mine.add(s);
          want--;
        }
      };
      for (let t = 0; t < relays * 4; t++) {
        turn(Math.floor(random() * relays), Math.floor(random() * shards));
      }
      // Two more turns each, in order, take up the shards late releases freed.
      for (let round = 0; round < 2; round++) held.forEach((_, r) => turn(r, 0));
      expect(owner.size, `${shards} shards, ${relays} relays`).toBe(shards);
      const total = held.reduce((n, h) => n + h.size, 0);
      expect(total).toBe(shards);
      for (const h of held) expect(h.size).toBeLessThanOrEqual(Math.ceil(shards / relays));
    }
  });
});
