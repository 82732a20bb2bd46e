import { execFile, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '@org/kafka-outbox';
import { consumeN, createTopic, startPostgres, type StartedPostgres } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import pg from 'pg';

const cli = fileURLToPath(new URL('../../../packages/kafka-outbox/dist/cli.js', import.meta.url));

/** Runs the CLI to its end: exit code and output. */
async function outbox(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], {
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('kafka-outbox CLI', () => {
  const kafka = sharedKafka();
  let postgres: StartedPostgres;
  let db: string;

  beforeAll(async () => {
    postgres = await startPostgres();
    db = await postgres.createDatabase('outbox_cli');
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  it('migrates, reports status, relays until SIGTERM, and uses its exit codes', async () => {
    // Before migrate: the schema is missing, a failure (70) that says so.
    const missing = await outbox('status', '--database', db);
    expect(missing).toMatchObject({ code: 70 });
    expect(missing.stderr).toContain('[OUTBOX_SCHEMA_MISSING]');
    const migrated = await outbox('migrate', '--database', db);
    expect(migrated).toMatchObject({
      code: 0,
      stdout: 'kafka_outbox: schema version 0 -> 1 (applied 1)\n',
    });
    expect((await outbox('migrate', '--database', db)).stdout).toContain('(up to date)');

    const topic = `outbox-cli-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 3 });
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      await client.query('BEGIN');
      await enqueue(client, {
        topic,
        messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i % 3}`, value: String(i) })),
      });
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    const before = JSON.parse((await outbox('status', '--database', db, '--json')).stdout) as {
      rows: number;
      relays: number;
      fresh: boolean;
    };
    expect(before).toMatchObject({ rows: 10, relays: 0, fresh: true });

    const relay = spawn(
      process.execPath,
      [cli, 'relay', '--database', db, '--brokers', kafka.bootstrapServers.join(',')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    relay.stdout.on('data', (c: Buffer) => (output += c.toString()));
    relay.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => relay.once('exit', resolve));
    try {
      const records = await consumeN(kafka.bootstrapServers, topic, 10);
      expect(records.map((r) => r.value?.toString()).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => String(i)).sort(),
      );
      let status = { rows: -1, relays: 0 };
      while (status.rows !== 0 || status.relays !== 1) {
        status = JSON.parse(
          (await outbox('status', '--database', db, '--json')).stdout,
        ) as typeof status;
        await sleep(100);
      }
      expect((await outbox('status', '--database', db)).stdout).toMatch(
        /^OUTBOX kafka_outbox {2}rows 0 {2}oldest 0\.0 s {2}relays 1 {2}shards leased 32\/32 {2}OK\n$/,
      );
    } finally {
      relay.kill('SIGTERM');
    }
    expect(await exited, output).toBe(0);
    expect(output).toContain('outbox relay stopped');
  });

  it('says what is wrong in one line: bad arguments exit 64, an unreachable database 69', async () => {
    const bad = await outbox('relay', '--database', 'postgres://x@127.0.0.1:1/x');
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--brokers: required');
    const unknown = await outbox('publish');
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('"publish" is not one of migrate, relay, status');
    const unreachable = await outbox('status', '--database', 'postgres://x@127.0.0.1:1/x');
    expect(unreachable.code).toBe(69);
    expect(unreachable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unreachable.stderr).toContain('kafka-outbox: connect ECONNREFUSED 127.0.0.1:1');
  });
});
