import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { withCacheLock } from './cache-lock.js';

describe('withCacheLock', () => {
  it('lets one holder in at a time', async () => {
    const lock = join(await mkdtemp(join(tmpdir(), 'lock-')), 'fetch.lock');
    const events: string[] = [];
    const holder = (name: string) =>
      withCacheLock(
        lock,
        async () => {
          events.push(`${name} in`);
          await sleep(50);
          events.push(`${name} out`);
        },
        { pollMs: 5 },
      );
    await Promise.all([holder('a'), holder('b'), holder('c')]);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]!.replace(' in', '')).toBe(events[i + 1]!.replace(' out', ''));
    }
    expect(events).toHaveLength(6);
  });

  it('releases the lock when the work throws', async () => {
    const lock = join(await mkdtemp(join(tmpdir(), 'lock-')), 'fetch.lock');
    await expect(withCacheLock(lock, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await withCacheLock(lock, () => Promise.resolve('again'))).toBe('again');
  });

  it('takes over a lock whose owner process is dead', async () => {
    const lock = join(await mkdtemp(join(tmpdir(), 'lock-')), 'fetch.lock');
    const child = spawn(process.execPath, ['-e', '']);
    const deadPid = child.pid!;
    await new Promise((resolve) => child.once('exit', resolve));
    await mkdir(lock);
    await writeFile(join(lock, 'owner.json'), JSON.stringify({ pid: deadPid, host: hostname() }));
    expect(await withCacheLock(lock, () => Promise.resolve('taken'), { timeoutMs: 2_000 })).toBe(
      'taken',
    );
  });

  it('times out on a live owner, naming the lock and its owner', async () => {
    const lock = join(await mkdtemp(join(tmpdir(), 'lock-')), 'fetch.lock');
    await mkdir(lock);
    await writeFile(
      join(lock, 'owner.json'),
      JSON.stringify({ pid: process.pid, host: hostname() }),
    );
    await expect(
      withCacheLock(lock, () => Promise.resolve(), { timeoutMs: 100, pollMs: 10 }),
    ).rejects.toThrow(new RegExp(`cache lock ${lock} held by pid ${process.pid}`));
  });
});
