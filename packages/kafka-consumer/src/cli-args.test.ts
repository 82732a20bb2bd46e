import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';

describe('kafka-dlq arguments', () => {
  it('parses a replay with filters', () => {
    expect(
      parseCliArgs([
        'replay',
        '--brokers',
        'a:1,b:2',
        '--topic',
        'orders',
        '--key',
        'k1',
        '--exception-class',
        'TypeError',
        '--dry-run',
      ]),
    ).toEqual({
      brokers: ['a:1', 'b:2'],
      topic: 'orders',
      key: 'k1',
      exceptionClass: 'TypeError',
      group: undefined,
      dryRun: true,
    });
  });

  it('parses a replay that keeps its position in a group', () => {
    expect(
      parseCliArgs(['replay', '--brokers', 'a:1', '--topic', 'orders', '--group', 'orders-replay']),
    ).toMatchObject({ topic: 'orders', group: 'orders-replay', key: undefined, dryRun: false });
  });

  it.each<[string[], string]>([
    [['replay', '--topic', 'orders'], '--brokers: required'],
    [['replay', '--brokers', 'a:1'], '--topic: required'],
    [['replay', '--brokers', 'a:1', '--topic', 'o', '--force'], "Unknown option '--force'"],
    [['purge'], 'unknown command "purge"'],
    [['replay', '--brokers', 'a:1', '--topic', 'o', '--group', ''], '--group: must not be empty'],
    [
      ['replay', '--brokers', 'a:1', '--topic', 'o', '--group', 'g', '--key', 'k'],
      '--group: cannot be combined with --key or --exception-class',
    ],
    [
      ['replay', '--brokers', 'a:1', '--topic', 'o', '--group', 'g', '--exception-class', 'E'],
      '--group: cannot be combined with --key or --exception-class',
    ],
  ])('refuses %j naming the argument', (argv, expected) => {
    expect(() => parseCliArgs(argv)).toThrow(expected);
  });
});
