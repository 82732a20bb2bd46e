import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startKafkaCluster,
  startPostgres,
  startSchemaRegistry,
  versions,
  type StartedKafkaCluster,
  type StartedPostgres,
  type StartedSchemaRegistry,
} from '@org/kafka-testkit';
import { renderTable, type BenchTable } from './bench-table.js';
import { benchConsumers } from './consumer-bench.js';
import { benchLatency } from './latency-bench.js';
import { latencySummary, renderLatencyTable, type LatencyTable } from './latency-table.js';
import { benchOutbox } from './outbox-bench.js';
import { benchPartitioners } from './partitioner-bench.js';
import { benchProducers } from './producer-bench.js';
import { benchSerdes } from './serdes-bench.js';

// `npm run bench [-- name ...]`: every benchmark, or the ones named.
const all = ['producer', 'consumer', 'latency', 'outbox', 'serdes', 'partitioner'] as const;
type BenchName = (typeof all)[number];

function chosen(argv: readonly string[]): BenchName[] {
  if (argv.length === 0) return [...all];
  for (const name of argv) {
    if (!(all as readonly string[]).includes(name)) {
      throw new Error(`unknown benchmark "${name}"; expected some of: ${all.join(', ')}`);
    }
  }
  return argv as BenchName[];
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const names = chosen(process.argv.slice(2));
  const started = Date.now();
  const tables: BenchTable[] = [];
  const latencyTables: LatencyTable[] = [];
  let cluster: StartedKafkaCluster | undefined;
  let registry: StartedSchemaRegistry | undefined;
  let postgres: StartedPostgres | undefined;
  const stop = async () => {
    await registry?.stop();
    await postgres?.stop();
    await cluster?.stop();
  };
  // Ctrl-C stops what this started, then exits.
  const onSignal = () => {
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (names.includes('partitioner')) {
      log('partitioner');
      tables.push(...(await benchPartitioners()));
    }
    if (names.includes('serdes')) {
      registry = await startSchemaRegistry({ progress: log });
      log(`registry at ${registry.url}`);
      tables.push(...(await benchSerdes({ registryUrl: registry.url, log })));
      await registry.stop();
    }
    if (['producer', 'consumer', 'latency', 'outbox'].some((n) => names.includes(n as BenchName))) {
      cluster = await startKafkaCluster({ brokers: 3, progress: log });
      log(`cluster at ${cluster.bootstrapServers.join(',')}`);
      if (names.includes('producer')) {
        tables.push(...(await benchProducers({ brokers: cluster.bootstrapServers, log })));
      }
      if (names.includes('consumer')) {
        tables.push(...(await benchConsumers({ brokers: cluster.bootstrapServers, log })));
      }
      if (names.includes('latency')) {
        latencyTables.push(...(await benchLatency({ brokers: cluster.bootstrapServers, log })));
      }
      if (names.includes('outbox')) {
        // fsync on: the cost of a commit is part of what the outbox costs.
        postgres = await startPostgres({ durable: true });
        const databaseUrl = await postgres.createDatabase('bench_outbox');
        log(`PostgreSQL at ${databaseUrl}`);
        const outbox = await benchOutbox({ brokers: cluster.bootstrapServers, databaseUrl, log });
        tables.push(...outbox.throughput);
        latencyTables.push(outbox.latency);
        await postgres.stop();
      }
    }
  } finally {
    await stop();
  }
  const header = [
    '# Benchmark results',
    '',
    `Run ${new Date(started).toISOString()} (${((Date.now() - started) / 1000).toFixed(0)} s): \`npm run bench${names.length === all.length ? '' : ` -- ${names.join(' ')}`}\`.`,
    '',
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${osType()} ${release()}.`,
    `Versions: Node ${process.versions.node}, Kafka ${versions.kafka} (3 KRaft brokers on 127.0.0.1), Apicurio Registry ${versions.apicurio}, kafkajs 2.2.4, @kafkajs/confluent-schema-registry 3.9.0, PostgreSQL from the machine (Debian 15 here) for the outbox.`,
    '',
    'Each figure is the median of the rounds, with the slowest and fastest round beside it. Ratios are medians over the baseline named in the last column; above 1 is faster.',
    '',
  ].join('\n');
  const markdown = `${header}\n${[...tables.map(renderTable), ...latencyTables.map(renderLatencyTable)].join('\n')}`;
  const here = dirname(fileURLToPath(import.meta.url));
  const out = join(here, '..', 'results');
  mkdirSync(out, { recursive: true });
  // A partial run does not overwrite the full results.
  const base = names.length === all.length ? 'latest' : `latest-${names.join('-')}`;
  writeFileSync(join(out, `${base}.md`), markdown);
  writeFileSync(
    join(out, `${base}.json`),
    `${JSON.stringify({ startedAt: new Date(started).toISOString(), node: process.versions.node, cpus: cpus().length, tables, latencyTables: latencyTables.map((t) => ({ ...t, rows: t.rows.map(latencySummary) })) }, null, 2)}\n`,
  );
  process.stdout.write(markdown);
  log(`written to ${join(out, `${base}.md`)} and ${base}.json`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
