import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
/** Each SDK command's script and version, from its package. */
const tools = Object.fromEntries(
  (
    [
      ['kafka-lag', '@org/kafka-lag-monitor'],
      ['kafka-dlq', '@org/kafka-consumer'],
      ['kafka-outbox', '@org/kafka-outbox'],
      ['kafka-testkit', '@org/kafka-testkit'],
    ] as const
  ).map(([bin, pkg]) => {
    const manifest = require.resolve(`${pkg}/package.json`);
    const { version, bin: bins } = require(manifest) as {
      version: string;
      bin: Record<string, string>;
    };
    return [bin, { script: join(dirname(manifest), bins[bin]!), version }];
  }),
);

function run(
  tool: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tools[tool]!.script, ...args],
      { timeout: 120_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('the command lines keep one convention', () => {
  it.each([
    ['kafka-lag', ['--help']],
    ['kafka-lag', ['serve', '--help']],
    ['kafka-dlq', ['replay', '--help']],
    ['kafka-dlq', ['-h']],
    ['kafka-outbox', ['relay', '--help']],
    ['kafka-outbox', ['status', '-h']],
    ['kafka-testkit', ['up', '--help']],
    ['kafka-testkit', ['fetch', '--help']],
  ])('%s %j prints the usage and exits 0', async (tool, args) => {
    const result = await run(tool, ...args);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage/);
    expect(result.stdout).toContain('64 bad arguments');
  });

  it.each(Object.keys(tools))(
    '%s is linked in node_modules/.bin by npm ci (its launcher exists before the build)',
    async (tool) => {
      const linked = fileURLToPath(new URL(`../../../node_modules/.bin/${tool}`, import.meta.url));
      const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(linked, ['--version'], { timeout: 60_000 }, (err, stdout) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
        );
      });
      expect(result).toEqual({ code: 0, stdout: `${tool} ${tools[tool]!.version}\n` });
    },
  );

  it.each(Object.keys(tools))('%s --version prints its version', async (tool) => {
    expect(await run(tool, '--version')).toEqual({
      code: 0,
      stdout: `${tool} ${tools[tool]!.version}\n`,
      stderr: '',
    });
  });

  it.each([
    ['kafka-lag', ['--brokers', 'k:1', '--group', 'g', '--window', 'x']],
    ['kafka-dlq', ['replay', '--topic', 't']],
    ['kafka-outbox', ['publish']],
    ['kafka-testkit', ['down']],
  ])('%s %j: bad arguments exit 64, naming the argument', async (tool, args) => {
    const result = await run(tool, ...args);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/--window|--brokers|publish|down/);
  });

  it.each([
    ['kafka-lag', ['--brokers', '127.0.0.1:1', '--group', 'g']],
    ['kafka-dlq', ['replay', '--brokers', '127.0.0.1:1', '--topic', 'orders']],
  ])('%s with no broker at the address: exit 69 and one line', async (tool, args) => {
    const result = await run(tool, ...args);
    expect(result.code).toBe(69);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${tool}: .*ECONNREFUSED 127\\.0\\.0\\.1:1`)),
    ]);
  });
});
