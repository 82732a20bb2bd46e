import { KafkaSdkError } from './errors.js';

/** A command-line tool of the SDK: how it reads its arguments and what it does. */
export interface CliSpec<C> {
  /** The tool's name, put before its error messages. */
  readonly name: string;
  readonly usage: string;
  /** Parses the arguments; throws (a ConfigError naming the argument) when they are wrong. */
  parse(argv: readonly string[]): C | 'help';
  /** Runs the command; resolves with the exit code. */
  run(command: C): Promise<number>;
  /** For arguments that do not parse, or a run refused as CONFIG_INVALID. */
  readonly badArgumentsExitCode: number;
  /** For any other failure of `run`. */
  readonly failureExitCode: number;
}

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * Runs a tool the same way for every SDK command: bad arguments print the error and the
 * usage, `--help` the usage, and a failure one line `<name>: <message> [<code>]`. Resolves
 * with the exit code; the caller sets `process.exitCode`, so open handles close normally.
 */
export async function runCli<C>(
  spec: CliSpec<C>,
  argv: readonly string[] = process.argv.slice(2),
  output: CliOutput = processOutput,
): Promise<number> {
  let command: C | 'help';
  try {
    command = spec.parse(argv);
  } catch (err) {
    output.err(`${(err as Error).message}\n\n${spec.usage}\n`);
    return spec.badArgumentsExitCode;
  }
  if (command === 'help') {
    output.out(`${spec.usage}\n`);
    return 0;
  }
  try {
    return await spec.run(command);
  } catch (err) {
    const sdk = KafkaSdkError.is(err);
    output.err(`${spec.name}: ${(err as Error).message}${sdk ? ` [${err.code}]` : ''}\n`);
    return sdk && err.code === 'CONFIG_INVALID' ? spec.badArgumentsExitCode : spec.failureExitCode;
  }
}
