// `npm run demo`: the order service and the fulfilment service on a real cluster, for a
// bounded time, with what matters shown while they run and a summary at the end.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Admin } from 'kafkajs';
import {
  connectionOptionsSchema,
  createKafkaJsClient,
  ensureTopics,
  jsonLogger,
  parseOptions,
  registerCompressionCodecs,
  silentLogger,
} from '@org/kafka-core';
import { LagMonitor, renderLagTable } from '@org/kafka-lag-monitor';
import { RegistryClient } from '@org/kafka-serdes';
import {
  consumeN,
  startKafkaCluster,
  startPostgres,
  startSchemaRegistry,
  type StartedKafkaCluster,
  type StartedPostgres,
  type StartedSchemaRegistry,
} from '@org/kafka-testkit';
import { orderEventSchema, orderEventsTopic } from '../order-event.js';
import { committedEventIds, migrateOrderStore } from '../order-service/order-store.js';
import { parseSpanLines } from '../span-line.js';
import { demoUsage, parseDemoArgs, type DemoArgs } from './demo-args.js';
import { renderSummary, summarise, type DemoSummary, type StoredEvent } from './demo-summary.js';
import { ServiceProcess } from './service-process.js';
import { pickOrder, renderOrderTrace } from './trace-view.js';

const partitions = 10;
const vipShare = 0.8;
const here = dirname(fileURLToPath(import.meta.url));
const say = (line: string) => process.stderr.write(`[demo] ${line}\n`);
const n = (value: number) => value.toLocaleString('en-US');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything the demo started, stopped in reverse on the way out (also on Ctrl-C). */
class Started {
  cluster: StartedKafkaCluster | undefined;
  registry: StartedSchemaRegistry | undefined;
  postgres: StartedPostgres | undefined;
  monitor: LagMonitor | undefined;
  readonly services: ServiceProcess[] = [];
  private stopping: Promise<void> | undefined;

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.services.map((s) => s.stop()));
      await this.monitor?.stop();
      await this.registry?.stop();
      await this.postgres?.stop();
      await this.cluster?.stop();
    })();
    return this.stopping;
  }
}

interface DemoOutcome {
  readonly summary: DemoSummary;
  /** The order whose trace was shown. */
  readonly tracedOrder: string | undefined;
}

async function runDemo(args: DemoArgs, started: Started): Promise<DemoOutcome> {
  const work = mkdtempSync(join(tmpdir(), 'order-events-demo-'));
  say(`service logs, ledger and spans go to ${work}`);
  const external = process.env.KAFKA_BOOTSTRAP_SERVERS !== undefined;
  say(
    external
      ? `using the cluster at ${process.env.KAFKA_BOOTSTRAP_SERVERS}`
      : 'starting a local 3-broker Kafka cluster',
  );
  started.cluster = await startKafkaCluster({ brokers: 3, progress: say });
  started.registry = await startSchemaRegistry({ kafka: started.cluster, progress: say });
  const brokers = started.cluster.bootstrapServers;
  const registryUrl = started.registry.url;
  say(
    `Kafka at ${brokers.join(',')} (ready in ${(started.cluster.startupMs / 1000).toFixed(1)} s), registry at ${registryUrl}`,
  );

  // On a cluster of its own the demo uses the plain names; on a shared one, names of this run.
  const run = external ? `-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}` : '';
  const topic = `orders${run}`;
  const groupId = `fulfilment${run}`;
  const connection = parseOptions(
    connectionOptionsSchema,
    { brokers, clientId: 'order-events-demo' },
    'demo connection',
  );
  const admin = createKafkaJsClient(connection, silentLogger).admin();
  await admin.connect();
  try {
    // Safe defaults: replication factor 3, min.insync.replicas 2.
    await ensureTopics(admin, [{ topic, partitions }]);
    say(
      `topic ${topic}: ${partitions} partitions (0-${Math.round(partitions * vipShare) - 1} for VIP customers), replication 3, min.insync.replicas 2`,
    );
    // The deploy pipeline's step: register the schema; services run with useLatest.
    const schemaId = await new RegistryClient({ url: registryUrl }).register(
      `${topic}-value`,
      JSON.stringify(orderEventSchema),
    );
    say(`schema OrderEvent registered under ${topic}-value as id ${schemaId}`);

    started.postgres = await startPostgres();
    const databaseUrl = await started.postgres.createDatabase('orders');
    // The deploy pipeline's other step: the order service's table and the outbox.
    await migrateOrderStore(databaseUrl);
    if ((await committedEventIds(databaseUrl)).length > 0) {
      throw new Error(
        'the database at POSTGRES_URL already holds orders: give the demo an empty database',
      );
    }
    say(
      `PostgreSQL ${started.postgres.kind === 'local' ? 'started' : 'at POSTGRES_URL'}: orders table and outbox migrated`,
    );

    const common = {
      KAFKA_BROKERS: brokers.join(','),
      SCHEMA_REGISTRY_URL: registryUrl,
      ORDERS_TOPIC: topic,
      LOG_LEVEL: 'warn',
    };
    const fulfilment = new ServiceProcess(
      'fulfilment-service',
      join(here, '..', 'fulfilment-service', 'main.js'),
      {
        ...common,
        GROUP_ID: groupId,
        LEDGER_FILE: join(work, 'fulfilment-ledger.jsonl'),
        OTEL_TRACES_FILE: join(work, 'spans.jsonl'),
        FAIL_TRANSIENT_PERCENT: String(args.transientPercent),
        FAIL_PERMANENT_PERCENT: String(args.permanentPercent),
        RETRY_TOPIC_DELAYS_MS: '1000,3000',
      },
      join(work, 'fulfilment-service.log'),
    );
    started.services.push(fulfilment);
    const customers = 200;
    const vipCustomers = Array.from(
      { length: customers / 10 },
      (_, i) => `customer-${String(i * 10).padStart(4, '0')}`,
    );
    const orderServiceEnv = {
      ...common,
      ORDERS_PER_SECOND: String(args.ordersPerSecond),
      CUSTOMERS: String(customers),
      VIP_CUSTOMERS: vipCustomers.join(','),
      VIP_SHARE: String(vipShare),
      COMPRESSION: args.compression,
      DATABASE_URL: databaseUrl,
      OTEL_TRACES_FILE: join(work, 'spans.jsonl'),
      // Fresher than the fulfilment service's (every second): the live line compares the two,
      // and a stale "published" would show more events fulfilled than published.
      STATS_INTERVAL_MS: '250',
    };
    const orderServiceScript = join(here, '..', 'order-service', 'main.js');
    let orderService = new ServiceProcess(
      'order-service',
      orderServiceScript,
      orderServiceEnv,
      join(work, 'order-service.log'),
    );
    started.services.push(orderService);
    say(
      `order-service: ${args.ordersPerSecond} orders/s (3 events each) for ${args.seconds} s, ${vipCustomers.length} of ${customers} customers VIP, ${args.compression}; each event committed with its order in PostgreSQL and relayed through the outbox`,
    );
    say(
      `fulfilment-service: group ${groupId}; the warehouse fails ${args.transientPercent}% of events for a while and ${args.permanentPercent}% for good`,
    );

    started.monitor = new LagMonitor({
      brokers,
      clientId: 'order-events-demo-lag',
      groups: [groupId],
      intervalMs: 1_000,
      logger: jsonLogger('error'),
    });
    await started.monitor.start();

    const began = Date.now();
    let last = { at: began, committed: 0 };
    const show = () => {
      const o = orderService.latest?.stats ?? {};
      const f = fulfilment.latest?.stats ?? {};
      const committed = Number(o.committed ?? 0);
      const perSecond = Math.max(
        0,
        Math.round(((committed - last.committed) * 1000) / Math.max(1, Date.now() - last.at)),
      );
      const backlog = o.backlog ?? null;
      const elapsed = Math.round((Date.now() - began) / 1000);
      process.stderr.write(
        `\n── ${elapsed} s ── committed ${n(committed)} (${n(perSecond)}/s) · relayed ${n(Number(o.published ?? 0))}${backlog !== null ? ` (outbox backlog ${n(backlog)})` : ''} · fulfilled ${n(Number(f.processed ?? 0))} · failed attempts ${n(Number(f.failedAttempts ?? 0))} · to retry topics ${n(Number(f.retriesScheduled ?? 0))} · dead-lettered ${n(Number(f.deadLettered ?? 0))}\n`,
      );
      last = { at: Date.now(), committed };
      const report = started.monitor?.report(groupId);
      // Partitions that never held a record (most retry-topic ones) would only make the table long.
      if (report !== undefined) {
        const partitionsWithRecords = report.partitions.filter((p) => p.logEnd !== '0');
        process.stderr.write(
          `${renderLagTable({ ...report, partitions: partitionsWithRecords })}\n`,
        );
      }
    };
    const failedService = () => started.services.find((s) => !s.running);
    let killed = false;
    while (Date.now() - began < args.seconds * 1000) {
      await sleep(3_000);
      if (!killed && Date.now() - began >= (args.seconds * 1000) / 2) {
        killed = true;
        say(
          'killing the order service with SIGKILL mid-run: its open transactions roll back; what it committed waits in the outbox',
        );
        started.services.splice(started.services.indexOf(orderService), 1);
        await orderService.kill();
        orderService = new ServiceProcess(
          'order-service',
          orderServiceScript,
          orderServiceEnv,
          join(work, 'order-service-restarted.log'),
        );
        started.services.push(orderService);
        say(
          'order service restarted: it carries on the open orders from PostgreSQL, and its relay sends what the dead one left',
        );
      }
      const failed = failedService();
      if (failed !== undefined)
        throw new Error(`${failed.name} stopped on its own:\n${failed.lastLines()}`);
      show();
    }

    say('stopping the order service (SIGTERM): it finishes its open orders, flushes and exits');
    const orderExit = await orderService.stop();
    if (orderExit.code !== 0)
      throw new Error(
        `order-service exited with ${orderExit.code ?? orderExit.signal}:\n${orderService.lastLines()}`,
      );
    const committed = await committedEventIds(databaseUrl);
    const published = committed.length;
    say(
      `order service done: ${n(published)} events committed with their orders, the outbox relayed; waiting for fulfilment to catch up`,
    );
    const deadline = Date.now() + 120_000;
    let quietSamples = 0;
    for (;;) {
      const f = fulfilment.latest?.stats ?? {};
      const settled = Number(f.processed ?? 0) + Number(f.deadLettered ?? 0);
      // The demo's own lag monitor, read from the cluster (the service's built-in lag
      // reporting can be off: issue 14). Caught up means every partition with records has
      // its offset committed up to its end: a retry-topic partition that was never
      // committed holds a record still waiting for its due time, which totalLag leaves out.
      // Twice in a row, a sample apart, so a hand-off between two samples is not missed.
      const report = started.monitor?.report(groupId);
      const caughtUp =
        report !== undefined &&
        report.partitions.every((p) => p.lag === 0 || (p.lag === null && p.logEnd === '0'));
      quietSamples = settled >= published && caughtUp ? quietSamples + 1 : 0;
      if (quietSamples >= 2) break;
      if (Date.now() > deadline) {
        say(
          `fulfilment did not catch up within 120 s (${n(settled)} of ${n(published)}); summarising what there is`,
        );
        break;
      }
      if (!fulfilment.running)
        throw new Error(`fulfilment-service stopped on its own:\n${fulfilment.lastLines()}`);
      await sleep(1_000);
    }
    show();
    say(
      'stopping the fulfilment service (SIGTERM): it finishes the records in hand, commits and leaves the group',
    );
    const fulfilmentExit = await fulfilment.stop();
    if (fulfilmentExit.code !== 0)
      throw new Error(
        `fulfilment-service exited with ${fulfilmentExit.code ?? fulfilmentExit.signal}:\n${fulfilment.lastLines()}`,
      );

    // The truth: what the orders topic holds, what was fulfilled, what was dead-lettered.
    // The records are compressed as the order service chose; kafkajs needs the codec to read them.
    registerCompressionCodecs();
    const orders = await orderEventsTopic(topic).bind({ registry: { url: registryUrl } });
    const stored: StoredEvent[] = [];
    for (const record of await readAll(admin, brokers, topic)) {
      const event = (await orders.decode(record)).value;
      stored.push({
        eventId: event.eventId,
        orderId: event.orderId,
        vip: event.vip,
        partition: record.partition,
      });
    }
    const deadLettered: string[] = [];
    for (const record of await readAll(admin, brokers, `${topic}.dlq`)) {
      deadLettered.push((await orders.decode(record)).value.eventId);
    }
    const ledgerFile = join(work, 'fulfilment-ledger.jsonl');
    const fulfilled = existsSync(ledgerFile)
      ? readFileSync(ledgerFile, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => (JSON.parse(l) as { eventId: string }).eventId)
      : [];
    const f = fulfilment.latest?.stats ?? {};
    const summary = summarise({
      committed,
      stored,
      fulfilled,
      deadLettered,
      failedAttempts: Number(f.failedAttempts ?? 0),
      retriesScheduled: Number(f.retriesScheduled ?? 0),
      duplicatesSkipped: Number(f.duplicatesSkipped ?? 0),
      partitions,
      vipPartitions: Math.round(partitions * vipShare),
    });
    process.stderr.write(`\nSummary\n${renderSummary(summary, topic)}\n`);

    const spansFile = join(work, 'spans.jsonl');
    const spans = existsSync(spansFile)
      ? parseSpanLines(readFileSync(spansFile, 'utf8'), spansFile)
      : [];
    const orderId = pickOrder(spans);
    if (orderId === undefined) {
      say('no fulfilled order in the traces to show');
    } else {
      process.stderr.write(
        `\nThe trace of order ${orderId}, from placement to fulfilment (OpenTelemetry spans of both services):\n${renderOrderTrace(spans, orderId)}\n`,
      );
    }
    return { summary, tracedOrder: orderId };
  } finally {
    await admin.disconnect();
  }
}

/** Every record of `topic`, from the beginning to the current end. */
async function readAll(admin: Admin, brokers: string[], topic: string) {
  const offsets = await admin.fetchTopicOffsets(topic);
  const count = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  return count === 0 ? [] : consumeN(brokers, topic, count, { timeoutMs: 60_000 });
}

async function main(): Promise<number> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${demoUsage}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${demoUsage}\n`);
    return 0;
  }
  const started = new Started();
  const interrupted = () => {
    say('interrupted: stopping everything the demo started');
    void started.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const outcome = await runDemo(args, started);
    const { summary } = outcome;
    if (args.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
    const ok =
      summary.lost === 0 &&
      summary.notCommitted === 0 &&
      summary.vip.misplaced === 0 &&
      summary.standard.misplaced === 0;
    say(ok ? 'done: nothing lost' : 'FAILED: events were lost or misplaced');
    return ok ? 0 : 1;
  } catch (err) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    say('stopping what the demo started');
    await started.stop();
  }
}

process.exitCode = await main();
