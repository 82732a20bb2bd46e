import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { waitFor } from '@org/kafka-testkit';

export const kafkaLagCli = join(
  dirname(createRequire(import.meta.url).resolve('@org/kafka-lag-monitor/package.json')),
  'dist/cli.js',
);

/** A row of `/api/overview`'s groups, as far as the tests read it. */
export interface OverviewGroup {
  readonly cluster: string;
  readonly group: string;
  readonly status: string;
  readonly state: string;
  readonly members: number;
  readonly totalLag: number;
  /** How many partitions the group's report has. */
  readonly partitions: number;
}

export interface LagServeProcess {
  readonly child: ChildProcess;
  /** e.g. http://127.0.0.1:40123 */
  readonly base: string;
  readonly exited: Promise<number | null>;
  output(): string;
  /** GET `path`: the status and the parsed JSON body. */
  readonly getJson: (
    path: string,
    method?: string,
  ) => Promise<{ status: number; body: Record<string, unknown> }>;
}

/**
 * `kafka-lag serve <args> --port 0` in a process of its own, resolved once it says where it
 * serves; rejects with its output if it exits first. Tests stop it with SIGTERM and kill it
 * in their `finally`.
 */
export async function startLagServe(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<LagServeProcess> {
  const child = spawn(process.execPath, [kafkaLagCli, 'serve', ...args, '--port', '0'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const base = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /kafka-lag serving (http:\/\/[^\s/]+)\//.exec(out);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then((code) => reject(new Error(`kafka-lag serve exited (${code}): ${out}`)));
  });
  return {
    child,
    base,
    exited,
    output: () => out,
    getJson: async (path, method = 'GET') => {
      const res = await fetch(`${base}${path}`, { method });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
  };
}

/** Resolves once `/readyz` says 200: every cluster's first round is in. */
export async function untilReady(serve: LagServeProcess): Promise<void> {
  await eventually(async () =>
    (await serve.getJson('/readyz')).status === 200 ? true : undefined,
  );
}

/**
 * `kafka-lag serve` that must stop at start (a refused login, an untrusted certificate):
 * resolves with what it printed and its exit code; rejects if it served instead.
 */
export async function refusedLagServe(
  args: readonly string[],
  env: Record<string, string>,
): Promise<string> {
  let served: LagServeProcess;
  try {
    served = await startLagServe(args, env);
  } catch (err) {
    return (err as Error).message;
  }
  served.child.kill('SIGKILL');
  throw new Error(
    `kafka-lag serve ${args.join(' ')} served at ${served.base}; expected it to stop`,
  );
}

/**
 * Polls `check` every 200 ms (the testkit's `waitFor`) until it returns a value (not
 * undefined). After `boundMs` (a hang detector far above what the wait takes, not a
 * performance budget) it fails, saying what it waited for and, through `state`, what it saw
 * last.
 */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what = 'a condition',
  state: () => unknown = () => undefined,
  boundMs = 120_000,
): Promise<T> {
  let value: T | undefined;
  try {
    await waitFor(async () => (value = await check()) !== undefined, {
      timeoutMs: boundMs,
      intervalMs: 200,
      description: what,
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(state())}`, {
      cause: err,
    });
  }
  return value as T;
}
