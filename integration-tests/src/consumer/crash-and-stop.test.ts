import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { linesOf, startConsumerProcess, type ConsumerProcess } from './consumer-process.js';
import { produceOrders, until } from './order-records.js';

const dir = mkdtempSync(join(tmpdir(), 'consumer-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** How many times each value appears. */
function counts(lines: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of lines) result.set(line, (result.get(line) ?? 0) + 1);
  return result;
}

describe('consumer: a member that dies, a member that stops', () => {
  const kafka = sharedKafka();

  it('SIGKILL mid-stream: a new member finishes, every record processed at least once', async () => {
    const topic = `orders-crash-${Date.now()}`;
    const total = 6_000;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 6 });
    await produceOrders(kafka.bootstrapServers, topic, total);
    const out = join(dir, 'crash.txt');
    const env = { brokers: kafka.bootstrapServers, topic, group: `${topic}-group`, out };
    const running: ConsumerProcess[] = [];
    try {
      // Slow enough that commits (every second) happen before the kill.
      const first = await startConsumerProcess({ ...env, delayMs: 3 });
      running.push(first);
      await until(
        () => linesOf(out).length >= 3_000,
        60_000,
        () => first.output(),
      );
      first.child.kill('SIGKILL');
      await first.exited;
      const atKill = linesOf(out).length;
      expect(atKill).toBeLessThan(total); // really mid-stream

      const second = await startConsumerProcess(env);
      running.push(second);
      await until(
        () => counts(linesOf(out)).size >= total,
        90_000,
        () => `${counts(linesOf(out)).size} of ${total} distinct values`,
      );
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);

      const seen = counts(linesOf(out));
      const missing = Array.from({ length: total }, (_, i) => String(i)).filter(
        (v) => !seen.has(v),
      );
      expect(missing).toEqual([]);
      const duplicates = linesOf(out).length - total;
      console.log(
        `crash: killed after ${atKill} records; ${duplicates} duplicates after the new member took over`,
      );
    } finally {
      for (const p of running) p.child.kill('SIGKILL');
    }
  });

  it('SIGTERM during load: no record lost and none processed twice after the restart', async () => {
    const topic = `orders-stop-${Date.now()}`;
    const total = 6_000;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 6 });
    const out = join(dir, 'stop.txt');
    const env = { brokers: kafka.bootstrapServers, topic, group: `${topic}-group`, out };
    const running: ConsumerProcess[] = [];
    try {
      const first = await startConsumerProcess({ ...env, delayMs: 1 });
      running.push(first);
      // Load: the feed keeps writing while the first member stops and the second starts.
      const feed = (async () => {
        for (let batch = 0; batch < 6; batch++) {
          await produceOrders(kafka.bootstrapServers, topic, 1_000, { first: batch * 1_000 });
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      })();
      await until(
        () => linesOf(out).length >= 1_000,
        60_000,
        () => first.output(),
      );
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      const atStop = linesOf(out).length;

      const second = await startConsumerProcess(env);
      running.push(second);
      await feed;
      await until(
        () => linesOf(out).length >= total,
        90_000,
        () => `${linesOf(out).length} of ${total} lines`,
      );
      // Give a duplicate, if any were coming, the time to show up before stopping.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);

      const lines = linesOf(out);
      const seen = counts(lines);
      expect(seen.size).toBe(total);
      expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
      expect(lines).toHaveLength(total);
      console.log(`graceful stop: first member stopped after ${atStop} records; 0 duplicates`);
    } finally {
      for (const p of running) p.child.kill('SIGKILL');
    }
  });
});
