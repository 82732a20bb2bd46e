import { parseArgs } from 'node:util';
import { ConfigError, cliExitCodesUsage } from '@org/kafka-core';

export const usage = `Usage: kafka-dlq replay --brokers host:port[,host:port] --topic <source topic>
                        [--key <key>] [--exception-class <name>] [--group <name>] [--dry-run]

Republishes the dead letters of <topic>.dlq to <topic>, keeping keys, values and headers.
--key and --exception-class replay only the matching dead letters; --dry-run counts them.
--group keeps the position in that consumer group: the next run starts where this one
stopped (without it, running twice replays twice). It cannot be combined with the filters.
Prints a JSON report and exits 0. ${cliExitCodesUsage}`;

export interface ReplayCommand {
  readonly brokers: string[];
  readonly topic: string;
  readonly key: string | undefined;
  readonly exceptionClass: string | undefined;
  readonly group: string | undefined;
  readonly dryRun: boolean;
}

/** The `kafka-dlq` command line, validated; a ConfigError names the argument at fault. */
export function parseCliArgs(argv: readonly string[]): ReplayCommand {
  const [command, ...rest] = argv;
  if (command !== 'replay') {
    throw new ConfigError('kafka-dlq', [
      { path: 'command', message: `unknown command "${command}"; expected "replay"` },
    ]);
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      strict: true,
      options: {
        brokers: { type: 'string' },
        topic: { type: 'string' },
        key: { type: 'string' },
        'exception-class': { type: 'string' },
        group: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new ConfigError('kafka-dlq', [{ path: 'arguments', message: (err as Error).message }]);
  }
  const issues = [];
  if (!values.brokers) issues.push({ path: '--brokers', message: 'required' });
  if (!values.topic) issues.push({ path: '--topic', message: 'required' });
  if (values.group === '') issues.push({ path: '--group', message: 'must not be empty' });
  if (values.group !== undefined && (values.key !== undefined || values['exception-class'])) {
    issues.push({
      path: '--group',
      message:
        'cannot be combined with --key or --exception-class: the position would pass the dead letters they skip',
    });
  }
  if (issues.length > 0) throw new ConfigError('kafka-dlq', issues);
  return {
    brokers: values.brokers!.split(',').filter(Boolean),
    topic: values.topic!,
    key: values.key,
    exceptionClass: values['exception-class'],
    group: values.group,
    dryRun: values['dry-run'] ?? false,
  };
}
