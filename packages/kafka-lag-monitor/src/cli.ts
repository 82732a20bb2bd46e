#!/usr/bin/env node
import { once } from 'node:events';
import { KafkaSdkError, jsonLogger, onShutdownSignal } from '@org/kafka-core';
import { exitCodeOf, parseCliArgs, usage, type LagCommand } from './cli-args.js';
import { LagMonitor, type GroupLagReport } from './lag-monitor.js';
import { createLagServer } from './lag-server.js';
import { renderLagTable } from './lag-table.js';

function print(command: LagCommand, reports: readonly GroupLagReport[]): void {
  const missing = (command.groups ?? []).filter((g) => !reports.some((r) => r.group === g));
  if (command.json) {
    process.stdout.write(`${JSON.stringify({ groups: reports, notFound: missing })}\n`);
    return;
  }
  const text = [
    ...reports.map(renderLagTable),
    ...missing.map((g) => `GROUP ${g}  not found (no member and no committed offset)`),
  ].join('\n\n');
  process.stdout.write(`${text}\n`);
}

function exitCode(command: LagCommand, reports: readonly GroupLagReport[]): number {
  const missing = (command.groups ?? []).filter((g) => !reports.some((r) => r.group === g));
  return exitCodeOf([
    ...reports.map((r) => r.severity),
    ...missing.map(() => 'NOT_FOUND' as const),
  ]);
}

async function main(): Promise<number> {
  let command;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}\n`);
    return 4;
  }
  if (command === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const monitor = new LagMonitor({
    brokers: command.brokers,
    clientId: 'kafka-lag',
    groups: command.groups,
    groupPattern: command.groupPattern,
    intervalMs: command.intervalMs,
    window: command.window,
    allowedLag: command.allowedLag,
    metrics: false,
    logger: jsonLogger('warn'),
  });
  try {
    if (command.mode === 'serve') {
      await monitor.start();
      const server = createLagServer(monitor, { cluster: command.cluster });
      server.listen(command.port, command.host);
      await once(server, 'listening');
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : command.port;
      process.stdout.write(
        `kafka-lag serving http://${command.host}:${port}/v3/kafka/${command.cluster}/consumer\n`,
      );
      await new Promise<void>((resolve) => {
        onShutdownSignal(
          async () => {
            server.close();
            await monitor.stop();
            resolve();
          },
          { exit: false },
        );
      });
      return 0;
    }
    let reports: GroupLagReport[] = [];
    for (let i = 0; ; i++) {
      reports = await monitor.sample();
      if (command.mode === 'watch') {
        process.stdout.write('\x1b[2J\x1b[H');
        print(command, reports);
      } else if (i + 1 >= command.window) break;
      await new Promise((resolve) => setTimeout(resolve, command.intervalMs));
    }
    print(command, reports);
    return exitCode(command, reports);
  } catch (err) {
    const code = KafkaSdkError.is(err) ? ` [${err.code}]` : '';
    process.stderr.write(`kafka-lag: ${(err as Error).message}${code}\n`);
    return 4;
  } finally {
    await monitor.stop();
  }
}

process.exitCode = await main();
