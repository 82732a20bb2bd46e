import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { testClient } from '../kafka-clients.js';

describe('SIGTERM to a publishing service', () => {
  const kafka = sharedKafka();

  it('flushes every accepted record before the process exits', async () => {
    const topic = `shutdown-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 3 });
    const script = fileURLToPath(
      new URL('../fixtures/producer-until-sigterm.mjs', import.meta.url),
    );
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, BROKERS: kafka.bootstrapServers.join(','), TOPIC: topic },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(
          () => out.includes('ready') && (clearInterval(timer), resolve()),
          50,
        );
        void exited.then(() => reject(new Error(`the service exited before it was ready: ${out}`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    const counts = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
    expect(counts.failed).toBe(0);
    expect(counts.acknowledged).toBeGreaterThan(0);

    const admin = testClient(kafka.bootstrapServers).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const stored = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    // Every acknowledged send is in the log, and nothing else is.
    expect(stored).toBe(counts.acknowledged);
    console.log(`SIGTERM after 1.5 s: ${JSON.stringify(counts)}, stored ${stored}`);
  });
});
