import { describe, expect, it } from 'vitest';
import { exitCodeOf, parseCliArgs } from './cli-args.js';

describe('kafka-lag arguments', () => {
  it('parses a one-shot report with defaults', () => {
    expect(parseCliArgs(['--brokers', 'a:1,b:2', '--group', 'g1', '--group', 'g2'], {})).toEqual({
      mode: 'report',
      clusters: [{ name: 'local', brokers: ['a:1', 'b:2'] }],
      groups: ['g1', 'g2'],
      groupPattern: undefined,
      intervalMs: 1_000,
      window: 10,
      allowedLag: 0,
      json: false,
      port: 8000,
      host: '127.0.0.1',
      history: 120,
      notify: [],
      notifyMinSeverity: 'WARN',
      connection: {},
    });
  });

  it('parses watch, json and serve', () => {
    expect(
      parseCliArgs(['--brokers', 'a:1', '--group-pattern', '^orders-', '--watch'], {}),
    ).toMatchObject({
      mode: 'watch',
      groupPattern: '^orders-',
      groups: undefined,
    });
    expect(parseCliArgs(['--brokers', 'a:1', '--group', 'g', '--json'], {})).toMatchObject({
      json: true,
    });
    expect(
      parseCliArgs(
        ['serve', '--brokers', 'a:1', '--group', 'g', '--port', '0', '--cluster', 'prod'],
        {},
      ),
    ).toMatchObject({
      mode: 'serve',
      port: 0,
      clusters: [{ name: 'prod', brokers: ['a:1'] }],
      intervalMs: 5_000,
    });
  });

  it('serve: several clusters, alerts from flags and the environment, connection settings', () => {
    const command = parseCliArgs(
      [
        'serve',
        '--cluster',
        'eu-1=a:1,b:2',
        '--cluster',
        'us-1=c:3',
        '--group-pattern',
        '.',
        '--notify',
        'https://hooks.example/one',
        '--notify-min-severity',
        'ERR',
        '--host',
        '0.0.0.0',
        '--history',
        '30',
        '--sasl-mechanism',
        'plain',
      ],
      {
        KAFKA_LAG_NOTIFY: ' http://127.0.0.1:9/two  https://hooks.example/three ',
        KAFKA_SASL_USERNAME: 'monitor',
        KAFKA_SASL_PASSWORD: 'hunter2',
      },
    );
    expect(command).toMatchObject({
      clusters: [
        { name: 'eu-1', brokers: ['a:1', 'b:2'] },
        { name: 'us-1', brokers: ['c:3'] },
      ],
      notify: [
        'https://hooks.example/one',
        'http://127.0.0.1:9/two',
        'https://hooks.example/three',
      ],
      notifyMinSeverity: 'ERR',
      host: '0.0.0.0',
      history: 30,
      connection: { sasl: { mechanism: 'plain', username: 'monitor' } },
    });
    expect(JSON.stringify(command)).not.toContain('hunter2');
    expect(parseCliArgs(['--group', 'g'], { KAFKA_BROKERS: 'k:9092' })).toMatchObject({
      clusters: [{ name: 'local', brokers: ['k:9092'] }],
    });
  });

  it.each<[string[], string]>([
    [['--group', 'g'], '--brokers: required (or KAFKA_BROKERS)'],
    [
      ['serve', '--cluster', 'a=k:1', '--cluster', 'a=k:2', '--group', 'g'],
      '--cluster: "a" given twice',
    ],
    [['serve', '--cluster', 'a b=k:1', '--group', 'g'], '--cluster: "a b" must match'],
    [['serve', '--cluster', 'a=', '--group', 'g'], '--cluster: "a" has no brokers'],
    [
      ['serve', '--cluster', 'a=k:1', '--brokers', 'k:1', '--group', 'g'],
      '--brokers: not with --cluster',
    ],
    [['--cluster', 'a=k:1', '--group', 'g'], '--cluster: name=brokers is for serve only'],
    [['--brokers', 'a:1', '--group', 'g', '--notify', 'http://x/'], '--notify: is for serve only'],
    [['serve', '--brokers', 'a:1', '--group', 'g', '--json'], '--json: not with serve'],
    [
      ['serve', '--brokers', 'a:1', '--group', 'g', '--notify', 'ftp://x/'],
      '--notify: expected an http or https URL',
    ],
    [
      ['serve', '--brokers', 'a:1', '--group', 'g', '--notify-min-severity', 'LOUD'],
      '--notify-min-severity: expected one of OK, WARN, ERR, got "LOUD"',
    ],
    [
      ['--brokers', 'a:1', '--group', 'g', '--sasl-mechanism', 'plain'],
      'KAFKA_SASL_PASSWORD: required',
    ],
    [['--brokers', 'a:1'], '--group: give --group (one or more) or --group-pattern'],
    [['--brokers', 'a:1', '--group', 'g', '--group-pattern', 'x'], '--group: give --group'],
    [['--brokers', 'a:1', '--group-pattern', '(('], '--group-pattern: Invalid regular expression'],
    [
      ['--brokers', 'a:1', '--group', 'g', '--window', '1'],
      '--window: expected an integer 2 to 1000, got "1"',
    ],
    [
      ['--brokers', 'a:1', '--group', 'g', '--interval-ms', 'fast'],
      '--interval-ms: expected an integer',
    ],
    [
      ['serve', '--brokers', 'a:1', '--group', 'g', '--port', '70000'],
      '--port: expected an integer 0 to 65535, got "70000"',
    ],
    [['--brokers', 'a:1', '--group', 'g', '--verbose'], "Unknown option '--verbose'"],
  ])('refuses %j naming the argument', (argv, expected) => {
    expect(() => parseCliArgs(argv, {})).toThrow(expected);
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
