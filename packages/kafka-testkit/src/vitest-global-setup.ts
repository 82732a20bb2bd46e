import type { TestProject } from 'vitest/node';
import type { KafkaClusterOptions } from './cluster-types.js';
import { startSchemaRegistry, type StartedSchemaRegistry } from './schema-registry.js';
import type { SharedKafka } from './shared-kafka.js';
import { startKafkaCluster } from './start-kafka-cluster.js';

export type { SharedKafka } from './shared-kafka.js';

export interface GlobalSetupOptions extends KafkaClusterOptions {
  /** Also start a Schema Registry. Default true. */
  readonly registry?: boolean;
}

/**
 * A vitest `globalSetup` function: one cluster (and registry) for the whole suite, stopped
 * after the last test file, also when tests failed. Test files read it with `sharedKafka()`
 * from `@org/kafka-testkit/vitest`.
 */
export function createKafkaGlobalSetup(options: GlobalSetupOptions = {}) {
  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    const log = (line: string) => process.stderr.write(`[kafka-testkit] ${line}\n`);
    const cluster = await startKafkaCluster({ progress: log, ...options });
    let registry: StartedSchemaRegistry | undefined;
    try {
      if (options.registry ?? true) {
        registry = await startSchemaRegistry({ kafka: cluster, progress: log });
        log(`schema registry ready in ${registry.startupMs} ms at ${registry.url}`);
      }
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    log(
      `${cluster.backend} cluster ready in ${cluster.startupMs} ms: ${cluster.bootstrapServers.join(',')}`,
    );
    const shared: SharedKafka = {
      backend: cluster.backend,
      bootstrapServers: cluster.bootstrapServers,
      brokers: cluster.brokers,
      startupMs: cluster.startupMs,
      logDir: cluster.logDir,
      registryUrl: registry?.url,
    };
    project.provide('kafkaTestkit', shared);
    return async () => {
      await registry?.stop();
      await cluster.stop();
    };
  };
}

/** The default global setup: a 3-broker cluster and a registry. */
export default createKafkaGlobalSetup();
