#!/usr/bin/env node
import { jsonLogger, onShutdownSignal, packageVersion, runCli } from '@org/kafka-core';
import { exitCodeOf, parseCliArgs, usage, type LagCommand } from './cli-args.js';
import { LagMonitor } from './lag-monitor.js';
import type { GroupLagReport } from './types.js';
import { startLagService } from './lag-service.js';
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

const monitorOptions = (command: LagCommand) => ({
  groups: command.groups,
  groupPattern: command.groupPattern,
  intervalMs: command.intervalMs,
  window: command.window,
  allowedLag: command.allowedLag,
});

async function serve(command: LagCommand): Promise<number> {
  const logger = jsonLogger('info');
  const service = await startLagService({
    clusters: command.clusters.map((c) => ({
      name: c.name,
      connection: { brokers: c.brokers, clientId: 'kafka-lag', ...command.connection },
    })),
    monitor: monitorOptions(command),
    host: command.host,
    port: command.port,
    history: command.history,
    notify: { urls: command.notify, minSeverity: command.notifyMinSeverity },
    logger,
  });
  process.stdout.write(
    `kafka-lag serving ${service.url}/ (page), ${service.url}/metrics, ` +
      `${service.url}/v3/kafka/${command.clusters[0]!.name}/consumer\n`,
  );
  await new Promise<void>((resolve) => {
    // A second signal during this stop still exits at once (onShutdownSignal's rule).
    onShutdownSignal(
      async () => {
        await service.close();
        resolve();
      },
      { exit: false },
    );
  });
  return 0;
}

async function run(command: LagCommand): Promise<number> {
  if (command.mode === 'serve') return serve(command);
  const monitor = new LagMonitor({
    brokers: command.clusters[0]!.brokers,
    clientId: 'kafka-lag',
    ...command.connection,
    ...monitorOptions(command),
    metrics: false,
    // One line when the cluster cannot be reached (runCli's), not a page of retry warnings.
    logger: jsonLogger('error'),
  });
  try {
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
  version: packageVersion(import.meta.url),
  parse: (argv) => parseCliArgs(argv),
  run,
});
