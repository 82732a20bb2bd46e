import { describe, expect, it } from 'vitest';
import { bytesToDecimal, decimalToBytes } from './decimal-bytes.js';

// Java: new BigDecimal(v).setScale(s).unscaledValue().toByteArray(), written out by hand.
const javaBytes: [string, number, string][] = [
  ['0', 0, '00'],
  ['0.00', 2, '00'],
  ['1.00', 2, '64'],
  ['1.27', 2, '7f'],
  ['1.28', 2, '0080'],
  ['-1.28', 2, '80'],
  ['-1.29', 2, 'ff7f'],
  ['-0.01', 2, 'ff'],
  ['12345.67', 2, '12d687'],
  ['327.67', 2, '7fff'],
  ['327.68', 2, '008000'],
  ['-327.68', 2, '8000'],
  ['99999999999999999999.99', 2, '021e19e0c9bab23fffff'],
];

describe('decimal bytes', () => {
  it.each(javaBytes)('%s at scale %i is %s, as Java writes it', (value, scale, hex) => {
    expect(decimalToBytes(value, scale).toString('hex')).toBe(hex);
    expect(bytesToDecimal(Buffer.from(hex, 'hex'), scale)).toBe(
      value.includes('.') || scale === 0 ? value : `${value}.${'0'.repeat(scale)}`,
    );
  });

  it('pads a value with fewer digits than the scale', () => {
    expect(bytesToDecimal(decimalToBytes('3.5', 3), 3)).toBe('3.500');
    expect(bytesToDecimal(decimalToBytes('-7', 2), 2)).toBe('-7.00');
    expect(bytesToDecimal(Buffer.from('05', 'hex'), 4)).toBe('0.0005');
    expect(bytesToDecimal(Buffer.from('fb', 'hex'), 4)).toBe('-0.0005');
  });

  it('round-trips every value from -70000 to 70000 hundredths', () => {
    // Mismatches are gathered and asserted once: 280,000 expect() calls took over 5 s on a
    // busy machine, and a test must not depend on a wall-clock budget it can miss.
    const wrong: string[] = [];
    for (let n = -70_000; n <= 70_000; n++) {
      const text = `${n < 0 ? '-' : ''}${Math.floor(Math.abs(n) / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`;
      const bytes = decimalToBytes(text, 2);
      const back = bytesToDecimal(bytes, 2);
      // Minimal: one byte fewer could not hold the value.
      const size = n >= -128 && n <= 127 ? 1 : n >= -32_768 && n <= 32_767 ? 2 : 3;
      if (back !== text || bytes.length !== size) {
        wrong.push(`${text}: read back ${back} from ${bytes.length} bytes (expected ${size})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses text that is not a plain decimal, more digits than the scale, a bad scale', () => {
    for (const bad of ['', '1e3', '1.', '.5', '+1', '1,5', ' 1', 'NaN']) {
      expect(() => decimalToBytes(bad, 2)).toThrow(/is not a decimal number/);
    }
    expect(() => decimalToBytes('1.234', 2)).toThrow(
      /3 digits after the point, the schema's scale is 2/,
    );
    expect(() => decimalToBytes('1', -1)).toThrow(/scale must be an integer >= 0, got -1/);
    expect(() => bytesToDecimal(Buffer.alloc(0), 2)).toThrow(/0 bytes/);
  });
});
