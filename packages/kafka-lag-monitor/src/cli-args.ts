import { parseArgs } from 'node:util';
import {
  ConfigError,
  cliExitCodesUsage,
  connectionCliOptions,
  connectionCliUsage,
  connectionFromCli,
  type CliConnection,
  type ConfigIssue,
} from '@org/kafka-core';
import { clusterNamePattern, defaultClusterName } from './cluster-watch.js';
import { severities, type Severity } from './partition-status.js';

export const usage = `Usage:
  kafka-lag --brokers host:port[,...] (--group <id> ... | --group-pattern <regex>)
            [--interval-ms 1000] [--window 10] [--allowed-lag 0] [--watch] [--json]
  kafka-lag serve (--brokers host:port[,...] [--cluster <name>] | --cluster <name>=host:port[,...] ...)
            (--group <id> ... | --group-pattern <regex>)
            [--port 8000] [--host 127.0.0.1] [--interval-ms 5000] [--window 10] [--allowed-lag 0]
            [--history 120] [--notify <url> ...] [--notify-min-severity WARN]

Without --watch, samples --window times, --interval-ms apart, prints the table (or JSON)
and exits with the worst status: 0 OK, 1 WARN, 2 ERR (STALL, STOP, REWIND),
3 a group not found. ${cliExitCodesUsage}

serve answers the page at /, Prometheus at /metrics, Burrow's /v3/kafka/<cluster>/... JSON,
/healthz and /readyz. --cluster name=brokers (repeatable) watches several clusters, each with
the same groups and connection settings. --notify posts each status change of a group (and
its recovery) as JSON with a "text" field; KAFKA_LAG_NOTIFY (URLs separated by spaces) keeps
webhook tokens out of the process list. --brokers defaults to KAFKA_BROKERS.

${connectionCliUsage}`;

export interface ClusterArg {
  readonly name: string;
  readonly brokers: string[];
}

export interface LagCommand {
  readonly mode: 'report' | 'watch' | 'serve';
  /** Each cluster watched; one unless `serve --cluster name=brokers` gave several. */
  readonly clusters: ClusterArg[];
  readonly groups: string[] | undefined;
  readonly groupPattern: string | undefined;
  readonly intervalMs: number;
  readonly window: number;
  readonly allowedLag: number;
  readonly json: boolean;
  readonly port: number;
  readonly host: string;
  readonly history: number;
  readonly notify: string[];
  readonly notifyMinSeverity: Severity;
  readonly connection: CliConnection;
}

function integer(
  value: string | undefined,
  name: string,
  fallback: number,
  range: { min: number; max?: number },
  issues: ConfigIssue[],
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < range.min || (range.max !== undefined && n > range.max)) {
    const bound =
      range.max === undefined ? `at least ${range.min}` : `${range.min} to ${range.max}`;
    issues.push({ path: `--${name}`, message: `expected an integer ${bound}, got "${value}"` });
  }
  return n;
}

const brokerList = (value: string) => value.split(',').filter(Boolean);

/** `--brokers` alone, `--brokers` with `--cluster <name>`, or `--cluster <name>=<brokers>` repeated. */
function clustersOf(
  brokers: string | undefined,
  clusterArgs: readonly string[],
  serve: boolean,
  issues: ConfigIssue[],
): ClusterArg[] {
  const named = clusterArgs.filter((c) => c.includes('='));
  if (named.length === 0) {
    if (clusterArgs.length > 1) {
      issues.push({
        path: '--cluster',
        message: 'give one name with --brokers, or name=brokers for each cluster',
      });
    }
    const name = clusterArgs[0] ?? defaultClusterName;
    if (!clusterNamePattern.test(name)) {
      issues.push({
        path: '--cluster',
        message: `"${name}" must match ${String(clusterNamePattern)}`,
      });
    }
    if (!brokers) issues.push({ path: '--brokers', message: 'required (or KAFKA_BROKERS)' });
    return [{ name, brokers: brokerList(brokers ?? '') }];
  }
  if (!serve) issues.push({ path: '--cluster', message: 'name=brokers is for serve only' });
  if (named.length !== clusterArgs.length) {
    issues.push({ path: '--cluster', message: 'give every cluster as name=brokers' });
  }
  if (brokers) issues.push({ path: '--brokers', message: 'not with --cluster name=brokers' });
  const clusters = named.map((arg) => {
    const [name = '', list = ''] = arg.split(/=(.*)/s);
    if (!clusterNamePattern.test(name)) {
      issues.push({
        path: '--cluster',
        message: `"${name}" must match ${String(clusterNamePattern)}`,
      });
    }
    if (brokerList(list).length === 0)
      issues.push({ path: '--cluster', message: `"${name}" has no brokers` });
    return { name, brokers: brokerList(list) };
  });
  const names = clusters.map((c) => c.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) issues.push({ path: '--cluster', message: `"${twice}" given twice` });
  return clusters;
}

/** The `kafka-lag` command line, validated; a ConfigError names the argument at fault. */
export function parseCliArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): LagCommand {
  const serve = argv[0] === 'serve';
  const args = serve ? argv.slice(1) : [...argv];
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
        cluster: { type: 'string', multiple: true },
        history: { type: 'string' },
        notify: { type: 'string', multiple: true },
        'notify-min-severity': { type: 'string' },
        ...connectionCliOptions,
      },
    }));
  } catch (err) {
    throw new ConfigError('kafka-lag', [{ path: 'arguments', message: (err as Error).message }]);
  }
  const issues: ConfigIssue[] = [];
  const serveOnly = ['port', 'host', 'history', 'notify', 'notify-min-severity'] as const;
  if (!serve) {
    for (const flag of serveOnly) {
      if (values[flag] !== undefined)
        issues.push({ path: `--${flag}`, message: 'is for serve only' });
    }
  } else {
    for (const flag of ['watch', 'json'] as const) {
      if (values[flag]) issues.push({ path: `--${flag}`, message: 'not with serve' });
    }
  }
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
  const notify = [
    ...(values.notify ?? []),
    ...(env.KAFKA_LAG_NOTIFY ?? '').split(/\s+/).filter(Boolean),
  ];
  for (const url of notify) {
    let protocol: string | undefined;
    try {
      protocol = new URL(url).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      // The URL itself is not repeated: webhook URLs carry tokens.
      issues.push({ path: '--notify', message: 'expected an http or https URL' });
    }
  }
  const minSeverity = values['notify-min-severity'] ?? 'WARN';
  if (!(severities as readonly string[]).includes(minSeverity)) {
    issues.push({
      path: '--notify-min-severity',
      message: `expected one of ${severities.join(', ')}, got "${minSeverity}"`,
    });
  }
  const command: LagCommand = {
    mode: serve ? 'serve' : values.watch ? 'watch' : 'report',
    clusters: clustersOf(values.brokers ?? env.KAFKA_BROKERS, values.cluster ?? [], serve, issues),
    groups: values.group,
    groupPattern: values['group-pattern'],
    intervalMs: integer(
      values['interval-ms'],
      'interval-ms',
      serve ? 5_000 : 1_000,
      { min: 100 },
      issues,
    ),
    window: integer(values.window, 'window', 10, { min: 2, max: 1_000 }, issues),
    allowedLag: integer(values['allowed-lag'], 'allowed-lag', 0, { min: 0 }, issues),
    json: values.json ?? false,
    port: integer(values.port, 'port', 8000, { min: 0, max: 65_535 }, issues),
    host: values.host ?? '127.0.0.1',
    history: integer(values.history, 'history', 120, { min: 2, max: 100_000 }, issues),
    notify,
    notifyMinSeverity: minSeverity as Severity,
    connection: connectionFromCli(values, env, issues),
  };
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
