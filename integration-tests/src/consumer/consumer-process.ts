import { existsSync, readFileSync } from 'node:fs';
import { startFixture, type FixtureProcess } from '../fixture-process.js';

/** A consumer service in its own process, writing what it processed to `out`. */
export type ConsumerProcess = FixtureProcess;

export function startConsumerProcess(env: {
  brokers: readonly string[];
  topic: string;
  group: string;
  out: string;
  delayMs?: number;
}): Promise<ConsumerProcess> {
  return startFixture('consumer-to-file.mjs', {
    BROKERS: env.brokers.join(','),
    TOPIC: env.topic,
    GROUP: env.group,
    OUT: env.out,
    DELAY_MS: String(env.delayMs ?? 0),
  });
}

/** The lines of a file that may not exist yet. */
export function linesOf(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}
