import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A fixture service (from `src/fixtures/`) in a process of its own. */
export interface FixtureProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

/**
 * Starts `src/fixtures/<name>` with `env` added to this process's environment and resolves
 * once it printed "ready"; rejects with its output if it exits first. Tests kill it with
 * `child.kill(...)`; a test that fails first kills it in its `finally`.
 */
export async function startFixture(
  name: string,
  env: Readonly<Record<string, string>>,
): Promise<FixtureProcess> {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('ready')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`${name} exited (${code}) before it was ready: ${out}`));
    });
  });
  return { child, exited, output: () => out };
}
