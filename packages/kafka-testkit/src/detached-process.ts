import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { signalChild, unwatchChild, watchChild } from './process-reaper.js';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (for example ENOENT for `java`). */
  readonly spawnError?: string;
}

/** A server process (a JVM, PostgreSQL) started by the testkit, its output going to `logFile`. */
export interface DetachedProcess {
  readonly pid: number;
  /** Settles when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  /** Undefined while running. */
  exitStatus(): ExitStatus | undefined;
  /** Sends `signal`, waits for the exit; SIGKILL after `graceMs` if it is still running. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ExitStatus>;
}

/** Starts `command args` detached in its own process group, watched by the reaper. */
export function startDetached(args: {
  command: string;
  args: readonly string[];
  cwd: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
  /**
   * A long-running server must not keep the Node process alive (stop() or the reaper end
   * it); a short tool run that the caller awaits must, or Node would exit mid-await.
   */
  background?: boolean;
  /** Runs the process as this user (PostgreSQL refuses to run as root). */
  user?: { readonly uid: number; readonly gid: number };
}): DetachedProcess {
  const fd = openSync(args.logFile, 'a');
  let child;
  try {
    child = spawn(args.command, args.args, {
      cwd: args.cwd,
      env: { ...process.env, ...args.env },
      stdio: ['ignore', fd, fd],
      detached: true,
      ...(args.user ? { uid: args.user.uid, gid: args.user.gid } : {}),
    });
  } finally {
    closeSync(fd);
  }
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      status = { code, signal };
      if (child.pid) unwatchChild(child.pid);
      resolve(status);
    });
    child.once('error', (err) => {
      status = { code: null, signal: null, spawnError: `${args.command}: ${err.message}` };
      resolve(status);
    });
  });
  const pid = child.pid ?? -1;
  if (pid > 0) watchChild(pid);
  if (args.background ?? true) child.unref();

  return {
    pid,
    exited,
    exitStatus: () => status,
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) {
      if (status) return status;
      // Waiting for the exit must keep Node alive until the JVM is really gone.
      child.ref();
      signalChild(pid, signal);
      if (signal !== 'SIGKILL') {
        const result = await Promise.race([exited, sleep(graceMs).then(() => undefined)]);
        if (result) return result;
        signalChild(pid, 'SIGKILL');
      }
      return exited;
    },
  };
}
