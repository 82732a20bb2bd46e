#!/usr/bin/env node
import { ensureKafkaDistribution, ensureRegistryDistribution } from './artifact-cache.js';
import { ConfigError, packageVersion, runCli } from '@org/kafka-core';
import { parseCliArgs, usage, type CliCommand } from './cli-args.js';
import { buildContainerImages, resolveContainerImages } from './container-images.js';
import { startSchemaRegistry } from './schema-registry.js';
import { startKafkaCluster } from './start-kafka-cluster.js';

const log = (line: string) => process.stderr.write(`[kafka-testkit] ${line}\n`);

async function run(parsed: CliCommand): Promise<number> {
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
    if (parsed.images) {
      const images = await resolveContainerImages({ progress: log });
      process.stdout.write(`kafka image: ${images.kafka} (${images.origin.kafka})\n`);
      process.stdout.write(`registry image: ${images.registry} (${images.origin.registry})\n`);
    }
    return 0;
  }
  if (parsed.command === 'image-build') {
    const startedAt = Date.now();
    const images = await buildContainerImages({ progress: log, force: parsed.force });
    process.stdout.write(`kafka image: ${images.kafka}\nregistry image: ${images.registry}\n`);
    log(
      images.built.length > 0
        ? `built ${images.built.join(', ')} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`
        : 'all images were already built (--force builds them again)',
    );
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

process.exitCode = await runCli({
  name: 'kafka-testkit',
  version: packageVersion(import.meta.url),
  usage,
  parse: (argv) => {
    try {
      return parseCliArgs(argv);
    } catch (err) {
      throw new ConfigError('kafka-testkit', [
        { path: 'arguments', message: (err as Error).message },
      ]);
    }
  },
  run,
});
// \`up\` ends on a signal with the cluster stopped; exit then, whatever kafkajs keeps open.
process.exit();
