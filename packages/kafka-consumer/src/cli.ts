#!/usr/bin/env node
import { jsonLogger, runCli } from '@org/kafka-core';
import { parseCliArgs, usage } from './cli-args.js';
import { replayDeadLetters } from './replay-dead-letters.js';

process.exitCode = await runCli({
  name: 'kafka-dlq',
  usage,
  parse: parseCliArgs,
  badArgumentsExitCode: 2,
  failureExitCode: 1,
  async run({ key, exceptionClass, ...command }) {
    const report = await replayDeadLetters({
      brokers: command.brokers,
      clientId: 'kafka-dlq',
      topic: command.topic,
      dryRun: command.dryRun,
      group: command.group,
      logger: jsonLogger('warn'),
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
