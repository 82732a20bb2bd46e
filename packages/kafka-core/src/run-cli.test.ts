import { describe, expect, it } from 'vitest';
import { ConfigError, KafkaSdkError } from './errors.js';
import { cliExitCodes, isUnreachable, runCli, type CliSpec } from './run-cli.js';

function capture() {
  const text = { out: '', err: '' };
  return {
    text,
    output: { out: (t: string) => (text.out += t), err: (t: string) => (text.err += t) },
  };
}

const spec = (run: CliSpec<string>['run']): CliSpec<string> => ({
  name: 'tool',
  version: '1.2.3',
  usage: 'Usage: tool <word> | tool sub <word>',
  parse: (argv) => {
    if (argv.length !== 1) throw new ConfigError('tool', [{ path: '<word>', message: 'required' }]);
    return argv[0]!;
  },
  run,
});

describe('runCli', () => {
  it('runs the command and passes its exit code (a status result) through', async () => {
    const { text, output } = capture();
    expect(
      await runCli(
        spec((w) => (output.out(w), Promise.resolve(3))),
        ['hi'],
        output,
      ),
    ).toBe(3);
    expect(text.out).toBe('hi');
  });

  it.each([[['--help']], [['-h']], [['sub', '--help']], [['sub', 'x', '-h']], [[]]])(
    'prints the usage for %j, exit 0, whatever the subcommand',
    async (argv) => {
      const { text, output } = capture();
      expect(
        await runCli(
          spec(() => Promise.resolve(9)),
          argv,
          output,
        ),
      ).toBe(0);
      expect(text.out).toBe('Usage: tool <word> | tool sub <word>\n');
    },
  );

  it('prints the version on --version, exit 0', async () => {
    const { text, output } = capture();
    expect(
      await runCli(
        spec(() => Promise.resolve(9)),
        ['sub', '--version'],
        output,
      ),
    ).toBe(0);
    expect(text.out).toBe('tool 1.2.3\n');
  });

  it('bad arguments: the argument at fault and the usage, 64', async () => {
    const { text, output } = capture();
    expect(
      await runCli(
        spec(() => Promise.resolve(0)),
        ['a', 'b'],
        output,
      ),
    ).toBe(cliExitCodes.usage);
    expect(text.err).toBe(
      'Invalid tool options:\n  - <word>: required\n\nUsage: tool <word> | tool sub <word>\n',
    );
  });

  it('a failure: one line naming the tool and the code; 69 when nothing answered, 70 otherwise, 64 for refused options', async () => {
    const { text, output } = capture();
    const failing = spec(() => Promise.reject(new KafkaSdkError('SEND_FAILED', 'broker gone')));
    expect(await runCli(failing, ['x'], output)).toBe(70);
    expect(text.err).toBe('tool: broker gone [SEND_FAILED]\n');
    const refusedConnection = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      name: 'KafkaJSConnectionError',
    });
    const unreachable = spec(() =>
      Promise.reject(
        new KafkaSdkError('LAG_MONITOR_CONNECT_FAILED', 'cannot reach', {
          cause: refusedConnection,
          retriable: true,
        }),
      ),
    );
    expect(await runCli(unreachable, ['x'], output)).toBe(69);
    const refused = spec(() =>
      Promise.reject(new ConfigError('tool', [{ path: 'topic', message: 'missing' }])),
    );
    expect(await runCli(refused, ['x'], output)).toBe(64);
  });
});

describe('isUnreachable', () => {
  it.each<[string, unknown, boolean]>([
    ['a socket refused', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), true],
    [
      'an unknown host, two causes down',
      new Error('a', { cause: new Error('b', { cause: { code: 'ENOTFOUND' } }) }),
      true,
    ],
    [
      "kafkajs's connection error",
      Object.assign(new Error('Connection timeout'), { name: 'KafkaJSConnectionError' }),
      true,
    ],
    [
      'a message that says it',
      new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1'),
      true,
    ],
    [
      'a refused login',
      new KafkaSdkError('AUTHENTICATION_FAILED', 'SASL plain authentication as "u" failed'),
      false,
    ],
    [
      'a TLS handshake refused, over a kafkajs connection error',
      new KafkaSdkError('TLS_HANDSHAKE_FAILED', 'self-signed certificate', {
        cause: Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError' }),
      }),
      false,
    ],
    ['anything else', new Error('boom'), false],
    ['not an error', undefined, false],
  ])('%s: %s', (_what, err, expected) => {
    expect(isUnreachable(err)).toBe(expected);
  });
});
