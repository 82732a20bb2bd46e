#!/usr/bin/env node
import { once } from 'node:events';
import { jsonLogger, onShutdownSignal, runCli } from '@org/kafka-core';
import { exitCodeOf, parseCliArgs, usage, type LagCommand } from './cli-args.js';
import { LagMonitor, type GroupLagReport } from './lag-monitor.js';
import { createLagServer } from './lag-server.js';
import { renderLagTable } from './lag-table.js';

/** Groups asked for by name that the round did not find. */
function notFound(command: LagCommand, reports: readonly GroupLagReport[]): string[] {
  return (command.groups ?? []).filter((g) => !reports.some((r) => r.group === g));
}

function print(command: LagCommand, reports: readonly GroupLagReport[], missing: string[]): void {
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

function exitCode(reports: readonly GroupLagReport[], missing: string[]): number {
  return exitCodeOf([
    ...reports.map((r) => r.severity),
    ...missing.map(() => 'NOT_FOUND' as const),
  ]);
}

async function run(command: LagCommand): Promise<number> {
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
        print(command, reports, notFound(command, reports));
      } else if (i + 1 >= command.window) break;
      await new Promise((resolve) => setTimeout(resolve, command.intervalMs));
    }
    const missing = notFound(command, reports);
    print(command, reports, missing);
    return exitCode(reports, missing);
  } finally {
    await monitor.stop();
  }
}

process.exitCode = await runCli({
  name: 'kafka-lag',
  usage,
  parse: parseCliArgs,
  run,
  badArgumentsExitCode: 4,
  failureExitCode: 4,
});
