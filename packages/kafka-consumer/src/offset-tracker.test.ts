import { describe, expect, it } from 'vitest';
import { OffsetTracker } from './offset-tracker.js';

describe('OffsetTracker', () => {
  it('has nothing to commit before a record finishes', () => {
    const t = new OffsetTracker();
    expect(t.committable()).toBeUndefined();
    t.begin('5');
    t.begin('6');
    expect(t.committable()).toBeUndefined();
    t.finish('6');
    expect(t.committable()).toBeUndefined();
    expect(t.inFlight).toBe(1);
  });

  it('commits one past the last record when all finished in order', () => {
    const t = new OffsetTracker();
    for (const o of ['10', '11', '12']) t.begin(o);
    t.finish('10');
    expect(t.committable()).toBe(11n);
    t.finish('11');
    t.finish('12');
    expect(t.committable()).toBe(13n);
    expect(t.inFlight).toBe(0);
  });

  it('never passes an unfinished record when later ones finish first', () => {
    const t = new OffsetTracker();
    for (const o of [0n, 1n, 2n, 3n, 4n]) t.begin(o);
    t.finish(0n);
    t.finish(2n);
    t.finish(3n);
    expect(t.committable()).toBe(1n);
    t.finish(1n);
    expect(t.committable()).toBe(4n);
    t.finish(4n);
    expect(t.committable()).toBe(5n);
  });

  it('handles gaps between offsets (compacted topics, transaction markers)', () => {
    const t = new OffsetTracker();
    t.begin(3n);
    t.begin(7n);
    t.finish(3n);
    expect(t.committable()).toBe(7n);
    t.finish(7n);
    expect(t.committable()).toBe(8n);
  });

  it('keeps offsets above 2^53 exact', () => {
    const t = new OffsetTracker();
    t.begin('9007199254740993');
    t.finish('9007199254740993');
    expect(t.committable()).toBe(9007199254740994n);
  });

  it('refuses offsets that do not ascend, and finishing twice or unknown offsets', () => {
    const t = new OffsetTracker();
    t.begin(5n);
    expect(() => t.begin(5n)).toThrow(/must ascend/);
    expect(() => t.begin(4n)).toThrow(/must ascend/);
    t.finish(5n);
    expect(() => t.begin(5n)).toThrow(/must ascend/);
    expect(() => t.finish(5n)).toThrow(/not begun or is already finished/);
    expect(() => t.finish(9n)).toThrow(/not begun/);
  });

  it('stays correct across its internal compaction with a long-unfinished record', () => {
    const t = new OffsetTracker();
    t.begin(0n);
    for (let o = 1n; o <= 5000n; o++) t.begin(o);
    for (let o = 1n; o <= 5000n; o++) t.finish(o);
    expect(t.committable()).toBeUndefined();
    expect(t.inFlight).toBe(1);
    t.finish(0n);
    expect(t.committable()).toBe(5001n);
    for (let o = 5001n; o <= 9000n; o++) {
      t.begin(o);
      t.finish(o);
    }
    expect(t.committable()).toBe(9001n);
    expect(t.inFlight).toBe(0);
    expect(t.pending(8999n)).toBe(false);
  });

  it('forgetFrom drops the tail so those offsets can be begun again', () => {
    const t = new OffsetTracker();
    for (const o of [1n, 2n, 3n, 4n]) t.begin(o);
    t.finish(1n);
    t.finish(4n);
    t.forgetFrom(3n);
    expect(t.inFlight).toBe(1);
    expect(t.committable()).toBe(2n);
    t.begin(3n);
    t.begin(4n);
    t.finish(2n);
    expect(t.committable()).toBe(3n);
    t.finish(3n);
    t.finish(4n);
    expect(t.committable()).toBe(5n);
  });
});
