import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';

// A service outside the workspace, as a user has it: the packages come from the tarballs `npm
// pack` writes (prepack builds them), everything else from the npm registry. It proves what
// the workspace cannot: the published shape loads from Jest in CommonJS mode, from vitest in
// ESM, type-checks in a TypeScript CommonJS project with the service's own zod 3, and a
// service installed without optional dependencies starts.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/scratch-service/', import.meta.url));
const packed = [
  'kafka-core',
  'kafka-producer',
  'kafka-consumer',
  'kafka-lag-monitor',
  'kafka-serdes',
] as const;

// Every @org/kafka-* package has the same version (changesets `fixed`).
const { version } = JSON.parse(
  readFileSync(join(repoRoot, 'packages/kafka-core/package.json'), 'utf8'),
) as { version: string };

/**
 * Runs a command to its end and resolves with what it printed. It gives up after `timeoutMs`
 * (killing the command) and rejects with everything the command printed until then, so a
 * hang shows where it stopped: each caller's test timeout is longer than this.
 */
function run(
  command: string,
  args: readonly string[],
  cwd: string,
  { env = {}, timeoutMs = 240_000 }: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
        maxBuffer: 32 * 1024 * 1024,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      },
      (err, stdout, stderr) => {
        if (err) {
          const why = err.killed ? `killed after ${timeoutMs} ms` : err.message;
          reject(new Error(`${command} ${args.join(' ')} in ${cwd}: ${why}\n${stdout}\n${stderr}`));
        } else resolve(`${stdout}${stderr}`);
      },
    );
  });
}

/**
 * npm, on the Node running this suite (the npm of the repo's engine, not the system's). npm
 * waits 5 minutes on a stalled registry request by default, so one stall used up the whole
 * budget of an install (a clean CI run had both installs killed at 540 s, printing nothing,
 * though each takes 5 to 15 s): a request still unanswered after 60 s is given up and tried again.
 */
function npm(args: readonly string[], cwd: string): Promise<string> {
  return run(
    'npm',
    [
      '--no-audit',
      '--no-fund',
      '--loglevel=http',
      '--fetch-timeout=60000',
      '--fetch-retries=5',
      '--fetch-retry-mintimeout=2000',
      '--fetch-retry-maxtimeout=20000',
      ...args,
    ],
    cwd,
    { timeoutMs: 540_000 },
  );
}

describe('the packed packages in a scratch service outside the workspace', () => {
  const kafka = sharedKafka();
  const dir = mkdtempSync(join(tmpdir(), 'scratch-service-'));
  const tarballs = join(dir, 'tarballs');
  const tarball = (name: (typeof packed)[number]) =>
    `file:${join(tarballs, `org-${name}-${version}.tgz`)}`;
  const topics = {
    TOPIC_JEST: `scratch-jest-${randomUUID()}`,
    TOPIC_VITEST: `scratch-vitest-${randomUUID()}`,
    TOPIC_NO_OPTIONAL: `scratch-no-optional-${randomUUID()}`,
  };
  const env = () => ({ KAFKA_BROKERS: kafka.bootstrapServers.join(','), ...topics });

  beforeAll(async () => {
    for (const topic of Object.values(topics)) {
      await createTopic(kafka.bootstrapServers, { topic, partitions: 3 });
    }
    mkdirSync(tarballs);
    await npm(
      ['pack', ...packed.flatMap((p) => ['-w', `@org/${p}`]), '--pack-destination', tarballs],
      repoRoot,
    );
    expect(readdirSync(tarballs).sort()).toEqual(
      packed.map((p) => `org-${p}-${version}.tgz`).sort(),
    );
  }, 600_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('a service with Jest (CommonJS), vitest (ESM) and TypeScript module node16', () => {
    const service = join(dir, 'service');

    beforeAll(async () => {
      cpSync(fixtures, service, { recursive: true });
      writeFileSync(
        join(service, 'package.json'),
        JSON.stringify(
          {
            name: 'scratch-order-service',
            private: true,
            type: 'commonjs',
            dependencies: {
              ...Object.fromEntries(packed.map((p) => [`@org/${p}`, tarball(p)])),
              zod: '3.25.76',
            },
            devDependencies: {
              '@types/node': '^24.0.0',
              jest: '^30.0.0',
              typescript: '~6.0.3',
              vitest: '^5.0.0',
            },
            jest: { testMatch: ['**/*.jest.test.cjs'], testTimeout: 120_000 },
          },
          null,
          2,
        ),
      );
      await npm(['install', '--prefer-offline'], service);
    }, 600_000);

    // Each child gets 240 s (run's limit) inside a 300 s test, so a child that hangs is
    // killed with its output in the failure rather than cut off by vitest without it.
    it('Jest 30 in CommonJS mode requires the packages and produces and consumes', async () => {
      const out = await run(
        process.execPath,
        [join(service, 'node_modules/jest/bin/jest.js'), '--ci', '--verbose'],
        service,
        { env: env() },
      );
      expect(out).toMatch(/Tests:\s+1 passed, 1 total/);
    }, 300_000);

    it('vitest in ESM imports the packages and produces and consumes', async () => {
      const out = await run(
        process.execPath,
        [join(service, 'node_modules/vitest/vitest.mjs'), 'run', 'produce-consume.vitest'],
        service,
        { env: env() },
      );
      expect(out).toMatch(/Tests\s+1 passed \(1\)/);
    }, 300_000);

    it('TypeScript with module node16 type-checks a CommonJS file with zod 3 schemas', async () => {
      await run(
        process.execPath,
        [join(service, 'node_modules/typescript/bin/tsc'), '-p', '.'],
        service,
      );
    }, 300_000);
  });

  describe('a service installed with --omit=optional', () => {
    const service = join(dir, 'no-optional');

    beforeAll(async () => {
      mkdirSync(service);
      cpSync(
        join(fixtures, 'send-without-optional.mjs'),
        join(service, 'send-without-optional.mjs'),
      );
      writeFileSync(
        join(service, 'package.json'),
        JSON.stringify({
          name: 'scratch-no-optional',
          private: true,
          dependencies: {
            '@org/kafka-core': tarball('kafka-core'),
            '@org/kafka-producer': tarball('kafka-producer'),
            zod: '^4.0.0',
          },
        }),
      );
      await npm(['install', '--prefer-offline', '--omit=optional'], service);
    }, 600_000);

    it('has no native LZ4 or snappy binding installed', () => {
      const scopes = readdirSync(join(service, 'node_modules'));
      const natives = scopes
        .filter((s) => s.startsWith('@'))
        .flatMap((s) => readdirSync(join(service, 'node_modules', s)).map((p) => `${s}/${p}`))
        .filter((p) => /lz4-napi-|snappy-/.test(p));
      expect(natives).toEqual([]);
    });

    it('sends with compression none; lz4 fails at connect() naming the package', async () => {
      const out = await run(process.execPath, ['send-without-optional.mjs'], service, {
        env: env(),
      });
      const lines = out.trim().split('\n');
      expect(lines[0]).toMatch(/^none: sent to scratch-no-optional-\S+ partition \d+$/);
      expect(lines[1]).toMatch(
        /^lz4: COMPRESSION_CODEC_UNAVAILABLE: compression "lz4" needs the package lz4-napi with its native binding for \S+, which did not load \(.+\)\. Install it with its optional dependencies \(npm install lz4-napi, without --omit=optional\), or choose another compression$/,
      );
      expect(lines[1]).toContain(`for ${process.platform}-${process.arch},`);
    }, 300_000);
  });
});
