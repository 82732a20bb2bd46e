import { hostname } from 'node:os';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaTestkitError } from './errors.js';

interface LockOwner {
  pid: number;
  host: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(lockDir: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` while holding a lock shared by every process on this host that uses the same
 * cache. `mkdir` is atomic, so exactly one process creates the lock directory; a lock whose
 * owner died (a crashed run) is taken over instead of blocking forever.
 */
export async function withCacheLock<T>(
  lockDir: string,
  work: () => Promise<T>,
  options: { timeoutMs?: number; pollMs?: number; onWait?: (owner: number) => void } = {},
): Promise<T> {
  const { timeoutMs = 20 * 60_000, pollMs = 250 } = options;
  const deadline = Date.now() + timeoutMs;
  let reportedWait = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await readOwner(lockDir);
    // An owner file is written right after mkdir; a lock without one is being created now,
    // unless it is old, which the deadline covers.
    if (owner && owner.host === hostname() && !isAlive(owner.pid)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (owner && !reportedWait) {
      options.onWait?.(owner.pid);
      reportedWait = true;
    }
    if (Date.now() > deadline) {
      throw new KafkaTestkitError(
        'TESTKIT_TIMEOUT',
        `Waited ${timeoutMs} ms for the cache lock ${lockDir}` +
          (owner ? ` held by pid ${owner.pid} on ${owner.host}` : '') +
          '; remove the directory if no fetch is running',
      );
    }
    await sleep(pollMs);
  }
  try {
    const owner: LockOwner = { pid: process.pid, host: hostname() };
    await writeFile(join(lockDir, 'owner.json'), JSON.stringify(owner));
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
