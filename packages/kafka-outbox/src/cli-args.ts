import { parseArgs } from 'node:util';
import { ConfigError, cliExitCodesUsage, type ConfigIssue } from '@org/kafka-core';
import { relayDefaults } from './relay-options.js';
import { defaultOutboxTable } from './table-layout.js';

export const usage = `Usage:
  kafka-outbox migrate --database <url> [--table ${defaultOutboxTable}]
  kafka-outbox relay   --database <url> --brokers host:port[,...] [--table ${defaultOutboxTable}]
                       [--batch-size ${relayDefaults.batchSize}] [--poll-interval-ms ${relayDefaults.pollIntervalMs}] [--client-id kafka-outbox-relay]
  kafka-outbox status  --database <url> [--table ${defaultOutboxTable}] [--max-age-seconds 60] [--json]

--database defaults to $DATABASE_URL. migrate creates or upgrades the outbox table; relay
publishes committed rows until SIGTERM or SIGINT; status prints the backlog and the relays
running, and exits 1 when the oldest waiting row is older than --max-age-seconds.
Exit codes: 0 done (status: fresh), 1 status: the backlog is too old; ${cliExitCodesUsage}`;

export type OutboxCommand =
  | { readonly kind: 'migrate'; readonly database: string; readonly table: string }
  | {
      readonly kind: 'relay';
      readonly database: string;
      readonly table: string;
      readonly brokers: string[];
      readonly clientId: string;
      readonly batchSize: number;
      readonly pollIntervalMs: number;
    }
  | {
      readonly kind: 'status';
      readonly database: string;
      readonly table: string;
      readonly maxAgeSeconds: number;
      readonly json: boolean;
    };

function integer(
  value: string | undefined,
  name: string,
  fallback: number,
  issues: ConfigIssue[],
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    issues.push({ path: `--${name}`, message: `expected a positive integer, got "${value}"` });
  }
  return n;
}

/** The `kafka-outbox` command line, validated; a ConfigError names the argument at fault. */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): OutboxCommand {
  const [kind, ...args] = argv;
  if (kind !== 'migrate' && kind !== 'relay' && kind !== 'status') {
    throw new ConfigError('kafka-outbox', [
      { path: 'command', message: `"${kind}" is not one of migrate, relay, status` },
    ]);
  }
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        database: { type: 'string' },
        table: { type: 'string' },
        brokers: { type: 'string' },
        'client-id': { type: 'string' },
        'batch-size': { type: 'string' },
        'poll-interval-ms': { type: 'string' },
        'max-age-seconds': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new ConfigError('kafka-outbox', [{ path: 'arguments', message: (err as Error).message }]);
  }
  const issues: ConfigIssue[] = [];
  const only = (names: string[]) => {
    for (const name of names) {
      if ((values as Record<string, unknown>)[name] !== undefined && name !== 'json') {
        issues.push({ path: `--${name}`, message: `not an option of ${kind}` });
      }
    }
  };
  const database = values.database ?? env.DATABASE_URL ?? '';
  if (!database) issues.push({ path: '--database', message: 'required (or set DATABASE_URL)' });
  const table = values.table ?? defaultOutboxTable;
  let command: OutboxCommand;
  if (kind === 'relay') {
    if (!values.brokers) issues.push({ path: '--brokers', message: 'required' });
    only(['max-age-seconds']);
    if (values.json) issues.push({ path: '--json', message: 'not an option of relay' });
    command = {
      kind,
      database,
      table,
      brokers: (values.brokers ?? '').split(',').filter(Boolean),
      clientId: values['client-id'] ?? 'kafka-outbox-relay',
      batchSize: integer(values['batch-size'], 'batch-size', relayDefaults.batchSize, issues),
      pollIntervalMs: integer(
        values['poll-interval-ms'],
        'poll-interval-ms',
        relayDefaults.pollIntervalMs,
        issues,
      ),
    };
  } else if (kind === 'status') {
    only(['brokers', 'client-id', 'batch-size', 'poll-interval-ms']);
    command = {
      kind,
      database,
      table,
      maxAgeSeconds: integer(values['max-age-seconds'], 'max-age-seconds', 60, issues),
      json: values.json ?? false,
    };
  } else {
    only(['brokers', 'client-id', 'batch-size', 'poll-interval-ms', 'max-age-seconds']);
    if (values.json) issues.push({ path: '--json', message: 'not an option of migrate' });
    command = { kind, database, table };
  }
  if (issues.length > 0) throw new ConfigError('kafka-outbox', issues);
  return command;
}
