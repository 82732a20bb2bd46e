#!/usr/bin/env node
import { ensureKafkaDistribution, ensureRegistryDistribution } from './artifact-cache.js';
import { parseCliArgs, usage } from './cli-args.js';
import { KafkaTestkitError } from './errors.js';
import { startSchemaRegistry } from './schema-registry.js';
import { startKafkaCluster } from './start-kafka-cluster.js';

const log = (line: string) => process.stderr.write(`[kafka-testkit] ${line}\n`);

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`kafka-testkit: ${(err as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (parsed.command === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (parsed.command === 'fetch') {
    const libs = await ensureKafkaDistribution({ progress: log });
    process.stdout.write(`kafka jars: ${libs}\n`);
    if (parsed.registry) {
      const runner = await ensureRegistryDistribution({ progress: log });
      process.stdout.write(`registry: ${runner}\n`);
    }
    return 0;
  }
  const cluster = await startKafkaCluster({ brokers: parsed.brokers, progress: log });
  let registry;
  try {
    if (parsed.registry) registry = await startSchemaRegistry({ kafka: cluster, progress: log });
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  process.stdout.write(`KAFKA_BOOTSTRAP_SERVERS=${cluster.bootstrapServers.join(',')}\n`);
  if (registry) process.stdout.write(`SCHEMA_REGISTRY_URL=${registry.url}\n`);
  if (cluster.logDir) log(`broker logs: ${cluster.logDir}`);
  log(`ready in ${cluster.startupMs} ms; press Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('stopping');
  await registry?.stop();
  await cluster.stop();
  log('stopped');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const code = KafkaTestkitError.is(err) ? ` [${err.code}]` : '';
    process.stderr.write(
      `kafka-testkit${code}: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  },
);
