#!/usr/bin/env node
import { jsonLogger, packageVersion, runCli } from '@org/kafka-core';
import { parseCliArgs, usage } from './cli-args.js';
import { replayDeadLetters } from './replay-dead-letters.js';

process.exitCode = await runCli({
  name: 'kafka-dlq',
  version: packageVersion(import.meta.url),
  usage,
  parse: parseCliArgs,
  async run({ key, exceptionClass, ...command }) {
    const report = await replayDeadLetters({
      brokers: command.brokers,
      clientId: 'kafka-dlq',
      topic: command.topic,
      dryRun: command.dryRun,
      group: command.group,
      // One line when the cluster cannot be reached (runCli's), not a page of retry warnings.
      logger: jsonLogger('error'),
      filter:
        key === undefined && exceptionClass === undefined
          ? undefined
          : (dead) =>
              (key === undefined || dead.key?.toString() === key) &&
              (exceptionClass === undefined || dead.exceptionClass === exceptionClass),
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  },
});
