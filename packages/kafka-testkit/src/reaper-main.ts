// The reaper: a tiny detached process that outlives its parent by a moment. The parent
// registers each JVM it starts ("pid <n>", "unpid <n>") and each temporary directory
// ("dir <path>", "undir <path>"). When the parent dies in any way, SIGKILL included, this
// process sees its stdin close, kills what is still registered and removes the
// directories, so a crashed test run leaves no JVM and no broker data behind.
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';

const pids = new Set<number>();
const dirs = new Set<string>();

function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const space = line.indexOf(' ');
  const verb = line.slice(0, space);
  const arg = line.slice(space + 1);
  if (verb === 'pid' || verb === 'unpid') {
    const pid = Number(arg);
    if (!Number.isInteger(pid) || pid <= 0) return;
    if (verb === 'pid') pids.add(pid);
    else pids.delete(pid);
  } else if (verb === 'dir' && arg) dirs.add(arg);
  else if (verb === 'undir') dirs.delete(arg);
});
lines.on('close', () => {
  for (const pid of pids) killGroup(pid);
  // Give the kernel a moment to release the killed JVMs' open files before removing.
  setTimeout(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }, 500);
});
// The parent's Ctrl-C reaches the whole foreground group; the reaper must survive it to
// do its job once the parent is gone.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
