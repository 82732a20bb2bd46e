import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sharedKafka } from '@org/kafka-testkit/vitest';

const demo = new URL('../../../examples/order-events/dist/demo/run-demo.js', import.meta.url)
  .pathname;

interface Outcome {
  summary: {
    committed: number;
    published: number;
    stored: number;
    resent: number;
    notInKafka: number;
    notCommitted: number;
    duplicatesSkipped: number;
    orders: number;
    processed: number;
    deadLettered: number;
    failedAttempts: number;
    retriesScheduled: number;
    lost: number;
    vip: { events: number; partitions: number[]; misplaced: number };
    standard: { events: number; partitions: number[]; misplaced: number };
  };
  tracedOrder: string | undefined;
}

describe('npm run demo (examples/order-events), short mode', () => {
  const kafka = sharedKafka();

  it('commits orders with their events, survives the order service killed mid-run, fulfils, retries and dead-letters, loses nothing, and puts VIP orders on 0-7', async () => {
    // Every Node process of the run (the demo, its services) writes its warnings here.
    const warnings = join(mkdtempSync(join(tmpdir(), 'demo-warnings-')), 'warnings.txt');
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [demo, '--seconds', '10', '--rate', '20', '--transient', '10', '--permanent', '2', '--json'],
      {
        env: {
          ...process.env,
          KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrapServers.join(','),
          SCHEMA_REGISTRY_URL: kafka.registryUrl!,
          NODE_OPTIONS: `--redirect-warnings=${warnings}`,
        },
        timeout: 170_000,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const { summary, tracedOrder } = JSON.parse(stdout.trim().split('\n').at(-1)!) as Outcome;
    console.log(stderr.slice(stderr.indexOf('Summary')));

    // Every event committed with its order in PostgreSQL is in the topic, and nothing else;
    // the order service's SIGKILL mid-run lost none (its restart carried the open orders on)...
    expect(stderr).toContain('killing the order service with SIGKILL mid-run');
    // No count is asserted: how many orders fit in 10 s depends on how fast the killed service
    // restarts on a busy machine. (The warehouse's failures are a function of the event id:
    // with these rates the first events to reach a retry topic and the dead-letter topic
    // belong to orders 7 and 25, placed in the first 2 s.)
    expect(summary.committed).toBeGreaterThan(0);
    expect(summary.notInKafka).toBe(0);
    expect(summary.notCommitted).toBe(0);
    expect(summary.published).toBe(summary.committed);
    expect(summary.orders * 3).toBe(summary.published);
    // ...copies the relay re-sent after the kill carry the first copy's event id; the
    // fulfilment service skips a copy whose first one it had fulfilled (one still in retry
    // when its copy arrives runs again: at-least-once).
    expect(summary.stored).toBe(summary.published + summary.resent);
    expect(summary.duplicatesSkipped).toBeLessThanOrEqual(summary.resent);
    // ...and each one was fulfilled or dead-lettered.
    expect(summary.lost).toBe(0);
    expect(summary.processed + summary.deadLettered).toBe(summary.published);
    expect(summary.deadLettered).toBeGreaterThan(0);
    expect(summary.failedAttempts).toBeGreaterThan(summary.deadLettered);
    expect(summary.retriesScheduled).toBeGreaterThan(0);
    // VIP customers (1 in 10) on partitions 0-7, everyone else on 8-9.
    expect(summary.vip.events).toBeGreaterThan(0);
    expect(summary.vip.misplaced).toBe(0);
    expect(Math.max(...summary.vip.partitions)).toBeLessThan(8);
    expect(summary.standard.misplaced).toBe(0);
    expect(summary.standard.partitions).toEqual([8, 9]);
    // The trace of one order, from its placement to its fulfilment, was found and shown.
    expect(tracedOrder).toMatch(/^order-\d{6}$/);
    expect(stderr).toContain(`The trace of order ${tracedOrder}`);
    expect(stderr).toContain('order-service: publish ORDER_PLACED');
    expect(stderr).toContain('fulfilment-service: fulfil ORDER_SHIPPED');
    expect(stderr).toContain('done: nothing lost');
    // No process warning (Node 24 printed kafkajs's TimeoutNegativeWarning in every service).
    expect(existsSync(warnings) ? readFileSync(warnings, 'utf8') : '').toBe('');
  });
});
