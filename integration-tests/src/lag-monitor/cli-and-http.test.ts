import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { groupWithBacklog } from './group-backlog.js';
import { kafkaLagCli as cli, startLagServe, untilReady } from './lag-serve-process.js';

/** Runs kafka-lag to its end: exit code and output. */
function kafkaLag(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('kafka-lag CLI and HTTP, end to end', () => {
  const kafka = sharedKafka();

  it('reports, gates on the worst status, serves JSON and refuses what it must', async () => {
    const topic = `lag-cli-${Date.now()}`;
    const group = `${topic}-group`;
    await groupWithBacklog(kafka.bootstrapServers, {
      topic,
      group,
      records: [50, 50],
      committed: [10, 20],
    });
    const brokers = kafka.bootstrapServers.join(',');
    const quick = ['--window', '2', '--interval-ms', '200'];

    // --json: the shape, and the exit code of the worst status (nobody consumes: STOP = ERR).
    const json = await kafkaLag('--brokers', brokers, '--group', group, '--json', ...quick);
    expect(json.code).toBe(2);
    const parsed = JSON.parse(json.stdout) as {
      groups: { group: string; status: string; severity: string; partitions: unknown[] }[];
      notFound: string[];
    };
    expect(parsed.notFound).toEqual([]);
    expect(parsed.groups).toHaveLength(1);
    expect(parsed.groups[0]).toMatchObject({
      group,
      status: 'STOP',
      severity: 'ERR',
      state: 'Empty',
      members: 0,
      totalLag: 70,
      maxLag: { topic, partition: 0, lag: 40 },
    });
    expect(parsed.groups[0]!.partitions).toEqual([
      expect.objectContaining({
        topic,
        partition: 0,
        logEnd: '50',
        committed: '10',
        lag: 40,
        status: 'STOP',
        owner: null,
      }),
      expect.objectContaining({
        topic,
        partition: 1,
        logEnd: '50',
        committed: '20',
        lag: 30,
        status: 'STOP',
        owner: null,
      }),
    ]);

    // The table, and a group that does not exist.
    const table = await kafkaLag(
      '--brokers',
      brokers,
      '--group',
      group,
      '--group',
      'no-such-group',
      ...quick,
    );
    expect(table.code).toBe(3);
    expect(table.stdout).toContain(
      `GROUP ${group}  status STOP (ERR)  state Empty  members 0  total lag 70`,
    );
    expect(table.stdout).toMatch(
      /TOPIC\s+PARTITION\s+LOG-END\s+COMMITTED\s+LAG\s+LAG-SECONDS\s+STATUS\s+OWNER/,
    );
    expect(table.stdout).toContain('GROUP no-such-group  not found');
    const bad = await kafkaLag('--group', group);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--brokers: required (or KAFKA_BROKERS)');

    // serve: the routes, JSON errors, and a clean stop on SIGTERM.
    const serve = await startLagServe([
      '--brokers',
      brokers,
      '--group',
      group,
      '--interval-ms',
      '300',
    ]);
    try {
      const { getJson: get } = serve;
      expect(await get('/healthz')).toMatchObject({ status: 200, body: { error: false } });
      // Ready once the first round is in, which serve does not wait for.
      await untilReady(serve);
      expect(await get('/v3/kafka')).toEqual({
        status: 200,
        body: { error: false, clusters: ['local'] },
      });
      expect(await get('/v3/kafka/local/consumer')).toEqual({
        status: 200,
        body: { error: false, consumers: [group] },
      });
      const lag = await get(`/v3/kafka/local/consumer/${group}/lag`);
      expect(lag.status).toBe(200);
      // kafkajs's setOffsets commits through a member that joined: a consumer group, not a simple one.
      expect(lag.body.status).toMatchObject({ group, totalLag: 70, protocolType: 'consumer' });
      const status = await get(`/v3/kafka/local/consumer/${group}/status`);
      expect(status.status).toBe(200);
      expect(await get('/v3/kafka/local/consumer/no-such-group/lag')).toEqual({
        status: 404,
        body: { error: true, message: 'consumer group "no-such-group" not found' },
      });
      expect((await get('/v3/kafka/elsewhere/consumer')).status).toBe(404);
      expect((await get('/nothing-here')).status).toBe(404);
      expect(await get(`/v3/kafka/local/consumer/${group}/lag`, 'DELETE')).toEqual({
        status: 405,
        body: { error: true, message: 'DELETE is not allowed; use GET' },
      });
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    } finally {
      serve.child.kill('SIGKILL');
    }
  });
});
