import { describe, expect, it } from 'vitest';
import { fieldPath, shortValue } from './field-path.js';

describe('fieldPath', () => {
  it('writes indices in brackets, names with dots, odd keys quoted', () => {
    expect(fieldPath(['lines', '2', 'quantity'])).toBe('lines[2].quantity');
    expect(fieldPath(['lines', 2, 'sku'])).toBe('lines[2].sku');
    expect(fieldPath(['attributes', 'gift wrap'])).toBe('attributes["gift wrap"]');
    expect(fieldPath(['orderId'])).toBe('orderId');
    expect(fieldPath([])).toBe('(the value itself)');
  });
});

describe('shortValue', () => {
  it('says missing, sizes Buffers, cuts long text', () => {
    expect(shortValue(undefined)).toBe('missing');
    expect(shortValue(Buffer.alloc(3))).toBe('a 3-byte Buffer');
    expect(shortValue('x'.repeat(100))).toBe(`"${'x'.repeat(56)}...`);
    expect(shortValue(5)).toBe('5');
    expect(shortValue(10n)).toBe('10');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(shortValue(cycle)).toBe('an object');
    expect(shortValue(() => 1)).toBe('a function');
  });
});
