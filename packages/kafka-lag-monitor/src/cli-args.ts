import { parseArgs } from 'node:util';
import { ConfigError } from '@org/kafka-core';

export const usage = `Usage:
  kafka-lag --brokers host:port[,...] (--group <id> ... | --group-pattern <regex>)
            [--interval-ms 1000] [--window 10] [--allowed-lag 0] [--watch] [--json]
  kafka-lag serve --brokers host:port[,...] (--group <id> ... | --group-pattern <regex>)
            [--port 8000] [--host 127.0.0.1] [--cluster local] [--interval-ms 5000] [--window 10]

Without --watch, samples --window times, --interval-ms apart, prints the table (or JSON)
and exits with the worst status: 0 OK, 1 WARN, 2 ERR (STALL, STOP, REWIND),
3 a group not found, 4 bad arguments or no cluster.`;

export interface LagCommand {
  readonly mode: 'report' | 'watch' | 'serve';
  readonly brokers: string[];
  readonly groups: string[] | undefined;
  readonly groupPattern: string | undefined;
  readonly intervalMs: number;
  readonly window: number;
  readonly allowedLag: number;
  readonly json: boolean;
  readonly port: number;
  readonly host: string;
  readonly cluster: string;
}

function integer(
  value: string | undefined,
  name: string,
  fallback: number,
  min: number,
  issues: { path: string; message: string }[],
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    issues.push({
      path: `--${name}`,
      message: `expected an integer of at least ${min}, got "${value}"`,
    });
  }
  return n;
}

/** The `kafka-lag` command line, validated; a ConfigError names the argument at fault. */
export function parseCliArgs(argv: readonly string[]): LagCommand | 'help' {
  const serve = argv[0] === 'serve';
  const args = serve ? argv.slice(1) : [...argv];
  if (args.includes('--help') || args.includes('-h') || argv.length === 0) return 'help';
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        brokers: { type: 'string' },
        group: { type: 'string', multiple: true },
        'group-pattern': { type: 'string' },
        'interval-ms': { type: 'string' },
        window: { type: 'string' },
        'allowed-lag': { type: 'string' },
        watch: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        port: { type: 'string' },
        host: { type: 'string' },
        cluster: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new ConfigError('kafka-lag', [{ path: 'arguments', message: (err as Error).message }]);
  }
  const issues: { path: string; message: string }[] = [];
  if (!values.brokers) issues.push({ path: '--brokers', message: 'required' });
  if ((values.group === undefined) === (values['group-pattern'] === undefined)) {
    issues.push({ path: '--group', message: 'give --group (one or more) or --group-pattern' });
  }
  if (values['group-pattern'] !== undefined) {
    try {
      new RegExp(values['group-pattern']);
    } catch (err) {
      issues.push({ path: '--group-pattern', message: (err as Error).message });
    }
  }
  const command: LagCommand = {
    mode: serve ? 'serve' : values.watch ? 'watch' : 'report',
    brokers: (values.brokers ?? '').split(',').filter(Boolean),
    groups: values.group,
    groupPattern: values['group-pattern'],
    intervalMs: integer(values['interval-ms'], 'interval-ms', serve ? 5_000 : 1_000, 100, issues),
    window: integer(values.window, 'window', 10, 2, issues),
    allowedLag: integer(values['allowed-lag'], 'allowed-lag', 0, 0, issues),
    json: values.json ?? false,
    port: integer(values.port, 'port', 8000, 0, issues),
    host: values.host ?? '127.0.0.1',
    cluster: values.cluster ?? 'local',
  };
  if (command.port > 65535) issues.push({ path: '--port', message: 'at most 65535' });
  if (issues.length > 0) throw new ConfigError('kafka-lag', issues);
  return command;
}

/** The exit code for the worst of the reports: 0 OK, 1 WARN, 2 ERR, 3 a group not found. */
export function exitCodeOf(severities: readonly ('OK' | 'WARN' | 'ERR' | 'NOT_FOUND')[]): number {
  if (severities.includes('NOT_FOUND')) return 3;
  if (severities.includes('ERR')) return 2;
  if (severities.includes('WARN')) return 1;
  return 0;
}
