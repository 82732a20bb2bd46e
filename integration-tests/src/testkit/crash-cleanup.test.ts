import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@org/kafka-testkit';
import { labelled } from '../docker-engine.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Started {
  backend: string;
  pid?: number;
  logDir?: string;
  label?: string;
}

// Runs on both backends (backend-suites.ts): a local cluster's JVMs and files, or a
// container cluster's containers and network, must be gone after SIGKILL of the process
// that started them.
describe('a test process that dies by SIGKILL', () => {
  it('leaves no broker, registry, container, network or broker file behind', async () => {
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
      const started = JSON.parse(line) as Started;
      expect(started.backend).toBe(process.env.KAFKA_TESTKIT_BACKEND ?? 'local');
      if (started.backend === 'testcontainers') {
        const before = await labelled(started.label!);
        // The broker and the registry, on one network of their own.
        expect(before.containers.map((c) => c.State)).toEqual(['running', 'running']);
        expect(before.networks).toHaveLength(1);

        child.kill('SIGKILL');

        let after = before;
        await waitFor(
          async () => {
            after = await labelled(started.label!);
            return after.containers.length === 0 && after.networks.length === 0;
          },
          {
            timeoutMs: 60_000,
            intervalMs: 250,
            description: `no container or network labelled ${started.label}`,
          },
        );
        expect(after).toEqual({ containers: [], networks: [] });
      } else {
        const { pid, logDir } = started as Required<Started>;
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
      }
    } finally {
      child.kill('SIGKILL');
    }
  });
});
