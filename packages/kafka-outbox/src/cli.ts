#!/usr/bin/env node
import { createProducer } from '@org/kafka-producer';
import { jsonLogger, onShutdownSignal, packageVersion, runCli } from '@org/kafka-core';
import pg from 'pg';
import { parseCliArgs, usage, type OutboxCommand } from './cli-args.js';
import { migrate } from './migrate.js';
import { readOutboxStatus } from './outbox-status.js';
import { startOutboxRelay } from './start-relay.js';

async function withClient<T>(database: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: database, application_name: 'kafka-outbox' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function relay(command: Extract<OutboxCommand, { kind: 'relay' }>): Promise<number> {
  const logger = jsonLogger('info');
  const producer = createProducer({ brokers: command.brokers, clientId: command.clientId, logger });
  await producer.connect();
  try {
    const running = await startOutboxRelay({
      database: command.database,
      table: command.table,
      producer,
      logger,
      batchSize: command.batchSize,
      pollIntervalMs: command.pollIntervalMs,
    });
    logger.info('outbox relay started', { table: command.table });
    await new Promise<void>((resolve, reject) => {
      const off = onShutdownSignal(
        async () => {
          await running.stop();
          resolve();
        },
        { exit: false },
      );
      running.done.then(
        () => undefined,
        (err: unknown) => {
          off();
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
    logger.info('outbox relay stopped', { relayed: running.stats.relayed });
    return 0;
  } finally {
    await producer.disconnect();
  }
}

async function run(command: OutboxCommand): Promise<number> {
  switch (command.kind) {
    case 'migrate': {
      const report = await withClient(command.database, (c) =>
        migrate(c, { table: command.table }),
      );
      process.stdout.write(
        `${report.table}: schema version ${report.from} -> ${report.to}` +
          (report.applied.length ? ` (applied ${report.applied.join(', ')})` : ' (up to date)') +
          '\n',
      );
      return 0;
    }
    case 'status': {
      const status = await withClient(command.database, (c) => readOutboxStatus(c, command.table));
      const old = status.oldestAgeSeconds > command.maxAgeSeconds;
      if (command.json) {
        process.stdout.write(`${JSON.stringify({ ...status, fresh: !old })}\n`);
      } else {
        process.stdout.write(
          `OUTBOX ${status.table}  rows ${status.rows}  oldest ${status.oldestAgeSeconds.toFixed(1)} s  ` +
            `relays ${status.relays}  shards leased ${status.leasedShards}/${status.shards}  ${old ? 'TOO OLD' : 'OK'}\n`,
        );
      }
      return old ? 1 : 0;
    }
    case 'relay':
      return relay(command);
  }
}

process.exitCode = await runCli({
  name: 'kafka-outbox',
  usage,
  version: packageVersion(import.meta.url),
  parse: (argv) => parseCliArgs(argv),
  run,
});
