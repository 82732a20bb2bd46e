import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { versions } from '@org/kafka-testkit';

const cli = join(
  createRequire(import.meta.url).resolve('@org/kafka-testkit/package.json'),
  '..',
  'dist',
  'cli.js',
);

function fetchInto(cache: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, 'fetch', '--no-registry'],
      { env: { ...process.env, KAFKA_TESTKIT_CACHE_DIR: cache }, timeout: 300_000 },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, output: stdout + stderr }),
    );
  });
}

describe('two fetches into one empty cache at the same time', () => {
  it('both succeed, one download is made, and the cache is whole', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'testkit-cache-'));
    try {
      const [a, b] = await Promise.all([fetchInto(cache), fetchInto(cache)]);
      expect(a.code, a.output).toBe(0);
      expect(b.code, b.output).toBe(0);
      const fetched = [a, b].filter((r) =>
        r.output.includes(`fetched Apache Kafka ${versions.kafka}`),
      );
      expect(fetched).toHaveLength(1);
      expect(await readdir(cache)).toEqual([`kafka-${versions.kafka}`]);
      const dir = join(cache, `kafka-${versions.kafka}`);
      expect(existsSync(join(dir, '.complete'))).toBe(true);
      expect(await readdir(join(dir, 'libs'))).toContain(
        `kafka_${versions.scala}-${versions.kafka}.jar`,
      );
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
