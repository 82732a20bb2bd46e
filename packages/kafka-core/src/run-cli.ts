import { KafkaSdkError } from './errors.js';

/**
 * The exit codes every SDK command line uses. 0 is success; 1 to 9 are a command's own
 * status results (kafka-lag: 1 WARN, 2 ERR, 3 a group not found; kafka-outbox status: 1 the
 * backlog is too old), each listed in its usage; the rest follow BSD's sysexits.
 */
export const cliExitCodes = {
  ok: 0,
  /** Bad arguments or options (EX_USAGE). */
  usage: 64,
  /** The cluster, database or registry cannot be reached (EX_UNAVAILABLE). */
  unreachable: 69,
  /** Any other failure (EX_SOFTWARE). */
  failure: 70,
} as const;

/** The convention as the usage texts print it. */
export const cliExitCodesUsage = `Exit codes: 64 bad arguments, 69 cannot reach the cluster (or database), 70 other failure.`;

/** A command-line tool of the SDK: how it reads its arguments and what it does. */
export interface CliSpec<C> {
  /** The tool's name, put before its error messages. */
  readonly name: string;
  /** Printed by `--version`. */
  readonly version: string;
  /** Printed by `--help` (on any command or subcommand) and after bad arguments. */
  readonly usage: string;
  /** Parses the arguments; throws (a ConfigError naming the argument) when they are wrong. */
  parse(argv: readonly string[]): C;
  /** Runs the command; resolves with the exit code (0, or a status result from 1 to 9). */
  run(command: C): Promise<number>;
}

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

// What a socket says when nothing answers at the address: the network's words, which no
// SDK error code names on every path (kafkajs's and pg's errors carry them as `code`).
const unreachableCauses = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/**
 * Whether `err`, or an error it was caused by, says that nothing answered: a socket error
 * such as ECONNREFUSED, or kafkajs's connection error, not below an SDK error that is not
 * retriable.
 */
export function isUnreachable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 8; depth++) {
    // An SDK error that retrying cannot mend (a refused login, a TLS handshake that failed)
    // means something answered: whatever socket error lies below it is not "unreachable".
    if (KafkaSdkError.is(e) && !e.retriable) return false;
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && unreachableCauses.has(code)) return true;
    if (name === 'KafkaJSConnectionError') return true;
    if (typeof message === 'string' && [...unreachableCauses].some((c) => message.includes(c))) {
      return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs a tool the same way for every SDK command: `--help` or `-h` anywhere prints the usage,
 * `--version` the version; bad arguments print the error and the usage (64); a failure one
 * line `<name>: <message> [<code>]` (69 when nothing answered, 70 otherwise). Resolves with
 * the exit code; the caller sets `process.exitCode`, so open handles close normally.
 */
export async function runCli<C>(
  spec: CliSpec<C>,
  argv: readonly string[] = process.argv.slice(2),
  output: CliOutput = processOutput,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
    output.out(`${spec.usage}\n`);
    return cliExitCodes.ok;
  }
  if (argv.includes('--version')) {
    output.out(`${spec.name} ${spec.version}\n`);
    return cliExitCodes.ok;
  }
  let command: C;
  try {
    command = spec.parse(argv);
  } catch (err) {
    output.err(`${(err as Error).message}\n\n${spec.usage}\n`);
    return cliExitCodes.usage;
  }
  try {
    return await spec.run(command);
  } catch (err) {
    // The code of an SDK error, of the testkit's, or of a socket (ECONNREFUSED): what to grep.
    const code = (err as { code?: unknown } | undefined)?.code;
    const tag = typeof code === 'string' ? ` [${code}]` : '';
    output.err(`${spec.name}: ${(err as Error).message}${tag}\n`);
    if (KafkaSdkError.is(err) && err.code === 'CONFIG_INVALID') return cliExitCodes.usage;
    return isUnreachable(err) ? cliExitCodes.unreachable : cliExitCodes.failure;
  }
}
