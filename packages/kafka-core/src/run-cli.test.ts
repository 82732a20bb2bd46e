import { describe, expect, it } from 'vitest';
import { ConfigError, KafkaSdkError } from './errors.js';
import { runCli, type CliSpec } from './run-cli.js';

function capture() {
  const text = { out: '', err: '' };
  return {
    text,
    output: { out: (t: string) => (text.out += t), err: (t: string) => (text.err += t) },
  };
}

const spec = (run: CliSpec<string>['run']): CliSpec<string> => ({
  name: 'tool',
  usage: 'Usage: tool <word>',
  parse: (argv) => {
    if (argv[0] === '--help') return 'help';
    if (argv.length !== 1) throw new ConfigError('tool', [{ path: '<word>', message: 'required' }]);
    return argv[0]!;
  },
  run,
  badArgumentsExitCode: 2,
  failureExitCode: 1,
});

describe('runCli', () => {
  it('runs the command and passes its exit code through', async () => {
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

  it('prints the usage on --help, exit 0', async () => {
    const { text, output } = capture();
    expect(
      await runCli(
        spec(() => Promise.resolve(9)),
        ['--help'],
        output,
      ),
    ).toBe(0);
    expect(text.out).toBe('Usage: tool <word>\n');
  });

  it('prints the argument at fault and the usage for bad arguments', async () => {
    const { text, output } = capture();
    expect(
      await runCli(
        spec(() => Promise.resolve(0)),
        [],
        output,
      ),
    ).toBe(2);
    expect(text.err).toBe('Invalid tool options:\n  - <word>: required\n\nUsage: tool <word>\n');
  });

  it('names the tool and the error code of a failure', async () => {
    const { text, output } = capture();
    const failing = spec(() => Promise.reject(new KafkaSdkError('SEND_FAILED', 'broker gone')));
    expect(await runCli(failing, ['x'], output)).toBe(1);
    expect(text.err).toBe('tool: broker gone [SEND_FAILED]\n');
    const plain = spec(() => Promise.reject(new Error('boom')));
    expect(await runCli(plain, ['x'], output)).toBe(1);
    const refused = spec(() =>
      Promise.reject(new ConfigError('tool', [{ path: 'topic', message: 'missing' }])),
    );
    expect(await runCli(refused, ['x'], output)).toBe(2);
  });
});
