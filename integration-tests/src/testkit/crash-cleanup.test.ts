import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@org/kafka-testkit';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a test process that dies by SIGKILL', () => {
  it('leaves no broker JVM and no broker files behind', async () => {
    const script = fileURLToPath(new URL('../fixtures/start-and-hang.mjs', import.meta.url));
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`the fixture exited early with ${code}`)));
      });
      const { pid, logDir } = JSON.parse(line) as { pid: number; logDir: string };
      expect(isAlive(pid)).toBe(true);
      expect(existsSync(logDir)).toBe(true);

      child.kill('SIGKILL');

      await waitFor(() => !isAlive(pid), {
        timeoutMs: 15_000,
        description: `broker pid ${pid} to be killed`,
      });
      await waitFor(() => !existsSync(logDir), {
        timeoutMs: 15_000,
        description: `${logDir} to be removed`,
      });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
