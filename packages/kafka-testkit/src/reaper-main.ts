// The reaper: a tiny detached process that outlives its parent by a moment. The parent
// registers each JVM it starts ("pid <n>", "unpid <n>") and each temporary directory
// ("dir <path>", "undir <path>"). When the parent dies in any way, SIGKILL included, this
// process sees its stdin close, kills what is still registered and removes the
// directories, so a crashed test run leaves no JVM and no broker data behind. For the
// container backend it is also given a Docker label ("engine <json>"), and removes every
// container and network with that label through the engine's HTTP API.
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { createInterface } from 'node:readline';

const pids = new Set<number>();
const dirs = new Set<string>();
interface EngineLabel {
  endpoint: { socketPath: string } | { host: string; port: number };
  label: string;
}
const engineLabels = new Map<string, EngineLabel>();

function engineCall(target: EngineLabel, method: string, path: string): Promise<unknown> {
  return new Promise((resolve) => {
    const req = request({ ...target.endpoint, method, path, timeout: 30_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        try {
          resolve(body ? JSON.parse(body) : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    // A reaper that cannot reach the engine has nothing better to do than give up.
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Containers first (force, with their anonymous volumes), then the networks they were on. */
async function removeLabelled(target: EngineLabel): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ label: [target.label] }));
  const containers = (await engineCall(
    target,
    'GET',
    `/containers/json?all=1&filters=${filters}`,
  )) as { Id: string }[] | undefined;
  await Promise.all(
    (containers ?? []).map((c) => engineCall(target, 'DELETE', `/containers/${c.Id}?force=1&v=1`)),
  );
  const networks = (await engineCall(target, 'GET', `/networks?filters=${filters}`)) as
    { Id: string }[] | undefined;
  await Promise.all((networks ?? []).map((n) => engineCall(target, 'DELETE', `/networks/${n.Id}`)));
}

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
  } else if (verb === 'engine') {
    try {
      const target = JSON.parse(arg) as EngineLabel;
      if (typeof target.label === 'string') engineLabels.set(arg, target);
    } catch {
      // A malformed line names nothing to clean up.
    }
  } else if (verb === 'dir' && arg) dirs.add(arg);
  else if (verb === 'undir') dirs.delete(arg);
});
lines.on('close', () => {
  for (const pid of pids) killGroup(pid);
  const engines = Promise.all([...engineLabels.values()].map(removeLabelled));
  // Give the kernel a moment to release the killed JVMs' open files before removing.
  const settled = new Promise((resolve) => setTimeout(resolve, 500));
  void Promise.all([engines, settled]).then(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
// The parent's Ctrl-C reaches the whole foreground group; the reaper must survive it to
// do its job once the parent is gone.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
