import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from './demo-args.js';

describe('parseDemoArgs', () => {
  it('has defaults and takes each option, also as --flag=value', () => {
    expect(parseDemoArgs([])).toEqual({
      seconds: 30,
      ordersPerSecond: 20,
      transientPercent: 5,
      permanentPercent: 1,
      compression: 'lz4',
      json: false,
      help: false,
    });
    expect(
      parseDemoArgs([
        '--seconds',
        '8',
        '--rate=50',
        '--transient',
        '10',
        '--permanent=2',
        '--compression',
        'zstd',
        '--json',
      ]),
    ).toEqual({
      seconds: 8,
      ordersPerSecond: 50,
      transientPercent: 10,
      permanentPercent: 2,
      compression: 'zstd',
      json: true,
      help: false,
    });
    expect(parseDemoArgs(['-h']).help).toBe(true);
  });

  it('refuses what it cannot use, naming the argument', () => {
    expect(() => parseDemoArgs(['--seconds'])).toThrow(
      '--seconds: expected a number from 1 to 3600, got nothing',
    );
    expect(() => parseDemoArgs(['--rate', 'fast'])).toThrow(
      '--rate: expected a number from 0.1 to 5000, got "fast"',
    );
    expect(() => parseDemoArgs(['--compression', 'brotli'])).toThrow(
      '--compression: expected one of none, gzip, snappy, lz4, zstd, got "brotli"',
    );
    expect(() => parseDemoArgs(['--transient', '60', '--permanent', '50'])).toThrow(
      'together at most 100 percent',
    );
    expect(() => parseDemoArgs(['--verbose'])).toThrow('unknown argument "--verbose"');
  });
});
