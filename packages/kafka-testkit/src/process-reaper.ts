import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EngineEndpoint } from './docker-engine.js';

let reaper: ChildProcess | undefined;
const livePids = new Set<number>();
const liveDirs = new Set<string>();
const liveLabels = new Set<string>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function send(line: string): void {
  const current = ensureReaper();
  if (current?.stdin?.writable) current.stdin.write(`${line}\n`);
}

function ensureReaper(): ChildProcess | undefined {
  if (reaper && reaper.exitCode === null && reaper.stdin?.writable) return reaper;
  const script = fileURLToPath(new URL('./reaper-main.js', import.meta.url));
  try {
    reaper = spawn(process.execPath, [script], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
  } catch {
    return undefined;
  }
  reaper.on('error', () => {});
  reaper.stdin?.on('error', () => {});
  // Neither the reaper nor its pipe may keep the test process alive.
  reaper.unref();
  (reaper.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  for (const pid of livePids) reaper.stdin?.write(`pid ${pid}\n`);
  for (const dir of liveDirs) reaper.stdin?.write(`dir ${dir}\n`);
  for (const line of liveLabels) reaper.stdin?.write(`${line}\n`);
  return reaper;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Runs on process.exit() and a normal end; must stay synchronous.
  process.on('exit', () => {
    for (const pid of livePids) killGroup(pid, 'SIGKILL');
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/**
 * Registers a child process (started with `detached: true`, so it leads its own process
 * group) to be killed if this process ends before stopping it: on a normal exit by an exit
 * hook, on a crash or SIGKILL by the reaper process.
 */
export function watchChild(pid: number): void {
  livePids.add(pid);
  installExitHook();
  send(`pid ${pid}`);
}

/** Forgets a child that has exited. */
export function unwatchChild(pid: number): void {
  livePids.delete(pid);
  if (reaper?.stdin?.writable) reaper.stdin.write(`unpid ${pid}\n`);
}

/** Registers a temporary directory to be removed if this process ends without doing it. */
export function watchDir(dir: string): void {
  liveDirs.add(dir);
  installExitHook();
  send(`dir ${dir}`);
}

/** Forgets a directory that was removed or is to be kept. */
export function unwatchDir(dir: string): void {
  liveDirs.delete(dir);
  if (reaper?.stdin?.writable) reaper.stdin.write(`undir ${dir}\n`);
}

/**
 * Registers a Docker label (`key=value`): when this process ends, the reaper removes every
 * container (with its anonymous volumes) and network carrying it, through the engine at
 * `endpoint`. Registered before the first container exists, so none can be missed.
 */
export function watchEngineLabel(endpoint: EngineEndpoint, label: string): void {
  const line = `engine ${JSON.stringify({ endpoint, label })}`;
  if (liveLabels.has(line)) return;
  liveLabels.add(line);
  send(line);
}

/** Sends `signal` to the child's whole process group. */
export function signalChild(pid: number, signal: NodeJS.Signals): void {
  killGroup(pid, signal);
}
