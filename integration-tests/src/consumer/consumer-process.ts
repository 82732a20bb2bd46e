import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../fixtures/consumer-to-file.mjs', import.meta.url));

/** A consumer service in its own process, writing what it processed to `out`. */
export interface ConsumerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
}

export async function startConsumerProcess(env: {
  brokers: readonly string[];
  topic: string;
  group: string;
  out: string;
  delayMs?: number;
}): Promise<ConsumerProcess> {
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      BROKERS: env.brokers.join(','),
      TOPIC: env.topic,
      GROUP: env.group,
      OUT: env.out,
      DELAY_MS: String(env.delayMs ?? 0),
    },
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
      reject(new Error(`the consumer process exited (${code}) before it was ready: ${out}`));
    });
  });
  return { child, exited, output: () => out };
}

/** The lines of a file that may not exist yet. */
export function linesOf(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}
