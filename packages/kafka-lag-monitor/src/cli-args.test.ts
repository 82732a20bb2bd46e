import { describe, expect, it } from 'vitest';
import { exitCodeOf, parseCliArgs } from './cli-args.js';

describe('kafka-lag arguments', () => {
  it('parses a one-shot report with defaults', () => {
    expect(parseCliArgs(['--brokers', 'a:1,b:2', '--group', 'g1', '--group', 'g2'])).toEqual({
      mode: 'report',
      brokers: ['a:1', 'b:2'],
      groups: ['g1', 'g2'],
      groupPattern: undefined,
      intervalMs: 1_000,
      window: 10,
      allowedLag: 0,
      json: false,
      port: 8000,
      host: '127.0.0.1',
      cluster: 'local',
    });
  });

  it('parses watch, json and serve', () => {
    expect(
      parseCliArgs(['--brokers', 'a:1', '--group-pattern', '^orders-', '--watch']),
    ).toMatchObject({
      mode: 'watch',
      groupPattern: '^orders-',
      groups: undefined,
    });
    expect(parseCliArgs(['--brokers', 'a:1', '--group', 'g', '--json'])).toMatchObject({
      json: true,
    });
    expect(
      parseCliArgs([
        'serve',
        '--brokers',
        'a:1',
        '--group',
        'g',
        '--port',
        '0',
        '--cluster',
        'prod',
      ]),
    ).toMatchObject({ mode: 'serve', port: 0, cluster: 'prod', intervalMs: 5_000 });
  });

  it('asks for help', () => {
    expect(parseCliArgs([])).toBe('help');
    expect(parseCliArgs(['serve', '--help'])).toBe('help');
  });

  it.each<[string[], string]>([
    [['--group', 'g'], '--brokers: required'],
    [['--brokers', 'a:1'], '--group: give --group (one or more) or --group-pattern'],
    [['--brokers', 'a:1', '--group', 'g', '--group-pattern', 'x'], '--group: give --group'],
    [['--brokers', 'a:1', '--group-pattern', '(('], '--group-pattern: Invalid regular expression'],
    [
      ['--brokers', 'a:1', '--group', 'g', '--window', '1'],
      '--window: expected an integer of at least 2, got "1"',
    ],
    [
      ['--brokers', 'a:1', '--group', 'g', '--interval-ms', 'fast'],
      '--interval-ms: expected an integer',
    ],
    [['serve', '--brokers', 'a:1', '--group', 'g', '--port', '70000'], '--port: at most 65535'],
    [['--brokers', 'a:1', '--group', 'g', '--verbose'], "Unknown option '--verbose'"],
  ])('refuses %j naming the argument', (argv, expected) => {
    expect(() => parseCliArgs(argv)).toThrow(expected);
  });
});

describe('exitCodeOf', () => {
  it('is the worst: not found 3, ERR 2, WARN 1, OK 0', () => {
    expect(exitCodeOf([])).toBe(0);
    expect(exitCodeOf(['OK', 'OK'])).toBe(0);
    expect(exitCodeOf(['OK', 'WARN'])).toBe(1);
    expect(exitCodeOf(['WARN', 'ERR', 'OK'])).toBe(2);
    expect(exitCodeOf(['ERR', 'NOT_FOUND'])).toBe(3);
  });
});
