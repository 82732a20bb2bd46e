import { setTimeout as sleep } from 'node:timers/promises';
import type { DetachedProcess } from './detached-process.js';
import { KafkaTestkitError } from './errors.js';
import { tailFile } from './log-tail.js';

/**
 * Resolves once `answers()` is true for a server the testkit started. Rejects with
 * TESTKIT_START_FAILED when the process exits first, or TESTKIT_TIMEOUT after `timeoutMs`,
 * either way with the last lines of its log, which is what tells a user why.
 */
export async function waitUntilServing(server: {
  readonly name: string;
  /** Where it should answer, for the timeout message. */
  readonly address: string;
  readonly process: DetachedProcess;
  readonly logFile: string;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  answers(): Promise<boolean>;
}): Promise<void> {
  const logTail = async () =>
    `--- last lines of ${server.logFile} ---\n${(await tailFile(server.logFile, 30)).join('\n')}`;
  const deadline = Date.now() + server.timeoutMs;
  for (;;) {
    const status = server.process.exitStatus();
    if (status) {
      throw new KafkaTestkitError(
        'TESTKIT_START_FAILED',
        `${server.name} ${status.spawnError ? `could not be started: ${status.spawnError}` : `exited (code ${status.code}, signal ${status.signal})`} during startup.\n${await logTail()}`,
      );
    }
    if (await server.answers()) return;
    if (Date.now() > deadline) {
      throw new KafkaTestkitError(
        'TESTKIT_TIMEOUT',
        `${server.name} did not answer on ${server.address} within ${server.timeoutMs} ms.\n${await logTail()}`,
      );
    }
    await sleep(server.intervalMs);
  }
}
