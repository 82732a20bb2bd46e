import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startKafkaCluster,
  startPostgres,
  type StartedKafkaCluster,
  type StartedPostgres,
} from '@org/kafka-testkit';
import { jsonLogger } from '@org/kafka-core';
import { createConsumer, deduplicateByEventId } from '@org/kafka-consumer';
import { startFixture, type FixtureProcess } from '../fixture-process.js';
import { leaderOf, waitForFullIsr } from '../producer/delivery-workload.js';
import {
  backlogRows,
  committedOrderCount,
  ledgerReport,
  prepareOrderDatabase,
  readEvents,
  type LedgerReport,
} from './order-ledger.js';

// Issue 18's crash tests: an order service writing orders and their events in one
// PostgreSQL transaction, the outbox relay publishing them, and something killed mid-run.
// Afterwards every committed order has its event in Kafka (a relay crash may leave one
// duplicate copy, carrying the same event id), no rolled-back order has one, and each
// customer's events are in commit order. The file has a Kafka cluster of its own because
// one case kills a broker.

function expectLedger(report: LedgerReport, name: string): void {
  console.log(JSON.stringify({ case: name, ...report }));
  expect(report.committed).toBeGreaterThan(0);
  expect(report.lost).toBe(0);
  expect(report.phantom).toBe(0);
  expect(report.undeduplicable).toBe(0);
  // At most one extra copy of an event: the one a relay crash re-sends.
  expect(report.maxCopies).toBeLessThanOrEqual(2);
  expect(report.withoutEventId).toBe(0);
  expect(report.outOfOrderKeys).toBe(0);
  expect(report.records - report.duplicates).toBe(report.committed);
}

describe('the outbox when things crash', () => {
  let cluster: StartedKafkaCluster;
  let postgres: StartedPostgres;
  const running: FixtureProcess[] = [];

  beforeAll(async () => {
    [cluster, postgres] = await Promise.all([startKafkaCluster(), startPostgres()]);
  });

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    await Promise.all([cluster?.stop(), postgres?.stop()]);
  });

  async function setUp(
    name: string,
  ): Promise<{ db: string; topic: string; env: Record<string, string> }> {
    const db = await postgres.createDatabase(name);
    await prepareOrderDatabase(db);
    const topic = name.replace(/_/g, '-');
    await cluster.createTopic({ topic, partitions: 6 });
    return {
      db,
      topic,
      env: { DATABASE_URL: db, BROKERS: cluster.bootstrapServers.join(','), TOPIC: topic },
    };
  }

  async function start(name: string, env: Record<string, string>): Promise<FixtureProcess> {
    const p = await startFixture(name, env);
    running.push(p);
    return p;
  }

  async function stop(p: FixtureProcess): Promise<string> {
    p.child.kill('SIGTERM');
    expect(await p.exited, p.output()).toBe(0);
    return p.output();
  }

  it('(a) the order service killed with SIGKILL mid-run: after a relay restart every committed order has its event', async () => {
    const { db, topic, env } = await setUp('outbox_service_kill');
    const service = await start('outbox-order-service.mjs', { ...env, RELAY: 'in-process' });
    await waitFor(async () => (await committedOrderCount(db)) >= 1_500, 120_000, 'orders');
    service.child.kill('SIGKILL');
    await service.exited;
    const relay = await start('outbox-relay.mjs', env);
    await waitFor(async () => (await backlogRows(db)) === 0, 180_000, 'an empty outbox');
    await stop(relay);
    expectLedger(await ledgerReport(db, await readEvents(cluster.bootstrapServers, topic)), 'a');
  });

  it('(b) the relay killed with SIGKILL mid-batch: a new relay re-sends only what was not deleted, and de-duplication removes it', async () => {
    const { db, topic, env } = await setUp('outbox_relay_kill');
    const service = await start('outbox-order-service.mjs', { ...env, ORDERS: '4000' });
    expect(await service.exited, service.output()).toBe(0);
    const committed = await committedOrderCount(db);
    const batch = 200;
    const first = await start('outbox-relay.mjs', { ...env, BATCH_SIZE: String(batch) });
    await waitFor(
      async () => (await backlogRows(db)) <= committed / 2,
      120_000,
      'half the outbox relayed',
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = await backlogRows(db);
    expect(atKill).toBeGreaterThan(0); // really mid-run
    const second = await start('outbox-relay.mjs', { ...env, BATCH_SIZE: String(batch) });
    await waitFor(async () => (await backlogRows(db)) === 0, 180_000, 'an empty outbox');
    await stop(second);
    const events = await readEvents(cluster.bootstrapServers, topic);
    const report = await ledgerReport(db, events);
    expectLedger(report, 'b');
    // Only the turn in hand at the kill can be sent twice.
    expect(report.duplicates).toBeLessThanOrEqual(batch);
    // The consumer's opt-in de-duplication hands each order to the handler once.
    const handled = await handledOnce(cluster.bootstrapServers, topic, events.length);
    expect(handled.calls).toBe(committed);
    // Every duplicate in the log was skipped; a record delivered again after a rebalance is
    // skipped as well (at-least-once delivery), so there may be more skips than duplicates.
    expect(handled.skipped).toBeGreaterThanOrEqual(report.duplicates);
  });

  it('(c) a partition leader killed with SIGKILL while relaying: nothing lost, nothing twice', async () => {
    const { db, topic, env } = await setUp('outbox_broker_kill');
    const relay = await start('outbox-relay.mjs', env);
    const service = await start('outbox-order-service.mjs', env);
    await waitFor(async () => (await committedOrderCount(db)) >= 500, 120_000, 'orders');
    const victim = await leaderOf(cluster, topic, 0);
    await cluster.stopBroker(victim, { signal: 'SIGKILL' });
    await sleep(5_000);
    await cluster.startBroker(victim);
    await sleep(3_000);
    await stop(service);
    await waitFor(async () => (await backlogRows(db)) === 0, 180_000, 'an empty outbox');
    await stop(relay);
    const report = await ledgerReport(db, await readEvents(cluster.bootstrapServers, topic));
    expectLedger(report, 'c');
    expect(report.duplicates).toBe(0);
    await waitForFullIsr(cluster, topic);
  });

  it('(d) two relays at once: they split the shards, each customer stays in commit order, nothing twice', async () => {
    const { db, topic, env } = await setUp('outbox_two_relays');
    const relays = await Promise.all([
      start('outbox-relay.mjs', env),
      start('outbox-relay.mjs', env),
    ]);
    const service = await start('outbox-order-service.mjs', { ...env, WORKERS: '6' });
    await waitFor(async () => (await committedOrderCount(db)) >= 3_000, 180_000, 'orders');
    await stop(service);
    await waitFor(async () => (await backlogRows(db)) === 0, 180_000, 'an empty outbox');
    const stats = await Promise.all(
      relays.map(
        async (r) =>
          JSON.parse((await stop(r)).trim().split('\n').pop() ?? '{}') as { relayed: number },
      ),
    );
    console.log(JSON.stringify({ case: 'd', relayed: stats.map((s) => s.relayed) }));
    for (const s of stats) expect(s.relayed).toBeGreaterThan(0);
    const report = await ledgerReport(db, await readEvents(cluster.bootstrapServers, topic));
    expectLedger(report, 'd');
    expect(report.duplicates).toBe(0);
  });
});

/** Runs the SDK consumer with deduplicateByEventId over the topic's first `records` records. */
async function handledOnce(
  brokers: readonly string[],
  topic: string,
  records: number,
): Promise<{ calls: number; skipped: number }> {
  let calls = 0;
  let skipped = 0;
  // Records delivered at least once, by position: the wait ends when every record of the log
  // has come by, not when calls + skips add up to the count (a redelivery after a rebalance
  // is a skip too, and ended the wait early on a busy machine with 513 records unread).
  const delivered = new Set<string>();
  const handleOnce = deduplicateByEventId(
    () => {
      calls++;
      return Promise.resolve();
    },
    { onDuplicate: () => skipped++ },
  );
  const consumer = createConsumer({
    brokers: [...brokers],
    groupId: `${topic}-dedup`,
    topics: [topic],
    logger: jsonLogger('error'),
    eachMessage: async (record, ctx) => {
      await handleOnce(record, ctx);
      delivered.add(`${record.partition}:${record.offset}`);
    },
  });
  await consumer.run();
  try {
    await waitFor(() => Promise.resolve(delivered.size >= records), 120_000, 'the consumer');
  } finally {
    await consumer.stop();
  }
  return { calls, skipped };
}

async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}
