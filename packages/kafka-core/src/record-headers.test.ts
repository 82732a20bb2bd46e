import { describe, expect, it } from 'vitest';
import { headerText } from './record-headers.js';

describe('headerText', () => {
  it('reads strings, Buffers and the first of repeated headers', () => {
    const headers = {
      a: 'x',
      b: Buffer.from('y'),
      c: [Buffer.from('first'), 'second'],
      d: undefined,
    };
    expect(headerText(headers, 'a')).toBe('x');
    expect(headerText(headers, 'b')).toBe('y');
    expect(headerText(headers, 'c')).toBe('first');
    expect(headerText(headers, 'd')).toBeUndefined();
    expect(headerText(headers, 'missing')).toBeUndefined();
    expect(headerText({ e: [] }, 'e')).toBeUndefined();
    expect(headerText(undefined, 'a')).toBeUndefined();
  });
});
