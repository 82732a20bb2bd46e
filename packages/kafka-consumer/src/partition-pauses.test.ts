import { describe, expect, it } from 'vitest';
import { PartitionPauses } from './partition-pauses.js';

describe('PartitionPauses', () => {
  it('pauses on the first reason and resumes when the last is gone', () => {
    const p = new PartitionPauses();
    expect(p.add('t', 0, 'retry-not-due')).toBe(true);
    expect(p.add('t', 0, 'user')).toBe(false);
    expect(p.remove('t', 0, 'retry-not-due')).toBe(false);
    expect(p.has('t', 0)).toBe(true);
    expect(p.has('t', 0, 'user')).toBe(true);
    expect(p.remove('t', 0, 'user')).toBe(true);
    expect(p.has('t', 0)).toBe(false);
  });

  it('keeps partitions and topics apart, and ignores removing an absent reason', () => {
    const p = new PartitionPauses();
    p.add('t', 0, 'user');
    expect(p.has('t', 1)).toBe(false);
    expect(p.has('u', 0)).toBe(false);
    expect(p.remove('t', 0, 'parking-full')).toBe(false);
    expect(p.remove('t', 1, 'user')).toBe(false);
    expect(p.has('t', 0)).toBe(true);
  });

  it('adding the same reason twice needs one removal', () => {
    const p = new PartitionPauses();
    p.add('t', 0, 'user');
    p.add('t', 0, 'user');
    expect(p.remove('t', 0, 'user')).toBe(true);
  });
});
