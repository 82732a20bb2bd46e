import { describe, expect, it } from 'vitest';
import { KeyParking } from './key-parking.js';

describe('KeyParking', () => {
  it('blocks a key from the moment a record of it goes to retry', () => {
    const p = new KeyParking<string>();
    expect(p.blocked('k')).toBe(false);
    p.hold('k', '10');
    expect(p.blocked('k')).toBe(true);
    expect(p.blocked('other')).toBe(false);
  });

  it('keeps parked records in arrival order and the key blocked until the last is shifted', () => {
    const p = new KeyParking<string>();
    p.hold('k', '10');
    p.park('k', 'b');
    p.park('k', 'c');
    expect(p.size).toBe(2);
    expect(p.release('k', '10')).toBe(true);
    expect(p.drainable('k')).toBe(true);
    expect(p.blocked('k')).toBe(true); // parked records remain
    expect(p.peek('k')).toBe('b');
    p.shift('k');
    expect(p.peek('k')).toBe('c');
    p.shift('k');
    expect(p.peek('k')).toBeUndefined();
    expect(p.blocked('k')).toBe(false);
    expect(p.size).toBe(0);
  });

  it('only the record holding the key releases it', () => {
    const p = new KeyParking<string>();
    p.hold('k', '10');
    expect(p.release('k', '9')).toBe(false);
    expect(p.blocked('k')).toBe(true);
    expect(p.release('k', '10')).toBe(true);
    expect(p.release('k', '10')).toBe(false);
  });

  it('a drained record that fails again holds the key while the rest stay parked', () => {
    const p = new KeyParking<string>();
    p.hold('k', '10');
    p.park('k', 'b@11');
    p.park('k', 'c@12');
    p.release('k', '10');
    // b fails again and goes to retry: it holds the key; c must wait behind it.
    p.hold('k', '11');
    p.shift('k');
    expect(p.drainable('k')).toBe(false);
    expect(p.peek('k')).toBe('c@12');
    expect(p.keysInRetry).toBe(1);
  });

  it('dropParked forgets parked records and keeps the keys in retry', () => {
    const p = new KeyParking<string>();
    p.hold('k', '1');
    p.park('k', 'x');
    p.dropParked();
    expect(p.size).toBe(0);
    expect(p.peek('k')).toBeUndefined();
    expect(p.blocked('k')).toBe(true);
    p.shift('nothing'); // harmless
  });
});
