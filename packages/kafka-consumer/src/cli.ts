#!/usr/bin/env node
import { KafkaSdkError, jsonLogger } from '@org/kafka-core';
import { parseCliArgs, usage } from './cli-args.js';
import { replayDeadLetters } from './replay-dead-letters.js';

async function main(): Promise<number> {
  let command;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (command === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const { key, exceptionClass } = command;
  try {
    const report = await replayDeadLetters({
      brokers: command.brokers,
      clientId: 'kafka-dlq',
      topic: command.topic,
      dryRun: command.dryRun,
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
  } catch (err) {
    const code = KafkaSdkError.is(err) ? ` [${err.code}]` : '';
    process.stderr.write(`kafka-dlq: ${(err as Error).message}${code}\n`);
    return KafkaSdkError.is(err) && err.code === 'CONFIG_INVALID' ? 2 : 1;
  }
}

process.exitCode = await main();
