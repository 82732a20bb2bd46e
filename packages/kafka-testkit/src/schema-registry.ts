import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRegistryDistribution, type ProgressListener } from './artifact-cache.js';
import type { StartedKafkaCluster } from './cluster-types.js';
import { containerInternals } from './container-cluster.js';
import type { StartedTestContainer } from 'testcontainers';
import { containerLogTail } from './container-logs.js';
import { publishedHostIp, type ContainerSession } from './container-session.js';
import { waitFor } from './wait-for.js';
import { registryContainerPort } from './image-recipes.js';
import { KafkaTestkitError } from './errors.js';
import { allocatePorts } from './free-ports.js';
import { javaCommand } from './java-runtime.js';
import { startJava } from './java-process.js';
import { unwatchDir, watchDir } from './process-reaper.js';
import { waitUntilServing } from './server-readiness.js';
import { versions } from './versions.js';

/** Compatibility levels of the Confluent-compatible API. */
export type CompatibilityLevel =
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE'
  | 'NONE';

export interface SchemaRegistryOptions {
  /** The cluster the registry belongs to; needed for the testcontainers backend. */
  readonly kafka?: StartedKafkaCluster;
  /**
   * Global compatibility set at start. Default BACKWARD, Confluent's default; Apicurio
   * otherwise starts with no compatibility rule at all.
   */
  readonly compatibility?: CompatibilityLevel;
  /** Heap of the registry JVM in MiB. Default 320. */
  readonly heapMb?: number;
  /** Default 180 000. */
  readonly startTimeoutMs?: number;
  readonly progress?: ProgressListener;
}

/** A running registry. `url` is the base of the Confluent-compatible REST API. */
export interface StartedSchemaRegistry {
  readonly kind: 'apicurio' | 'external';
  /** For Apicurio: `http://127.0.0.1:<port>/apis/ccompat/v7`. */
  readonly url: string;
  readonly startupMs: number;
  /** The registry's log (local Apicurio only). */
  readonly logFile: string | undefined;
  /** The operating-system process id (local Apicurio only). */
  readonly pid: number | undefined;
  /** Stops the registry the testkit started; does nothing for an external one. Idempotent. */
  stop(): Promise<void>;
}

/** A started registry whose stop() runs `shutdown` once, however often it is called. */
function startedRegistry(
  kind: StartedSchemaRegistry['kind'],
  url: string,
  startedAt: number,
  shutdown: () => Promise<void>,
  local: { logFile?: string; pid?: number } = {},
): StartedSchemaRegistry {
  let stopping: Promise<void> | undefined;
  return {
    kind,
    url,
    startupMs: Date.now() - startedAt,
    logFile: local.logFile,
    pid: local.pid,
    stop: () => (stopping ??= shutdown()),
  };
}

async function registryAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function setCompatibility(url: string, level: CompatibilityLevel): Promise<void> {
  const res = await fetch(`${url}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: level }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) {
    throw new KafkaTestkitError(
      'TESTKIT_START_FAILED',
      `Setting compatibility ${level} on ${url}/config failed: HTTP ${res.status} ${await res.text()}`,
    );
  }
}

const compatibilityLevels: readonly CompatibilityLevel[] = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
];

async function startLocalApicurio(
  options: SchemaRegistryOptions,
  startedAt: number,
): Promise<StartedSchemaRegistry> {
  const progress = options.progress ?? (() => {});
  const heapMb = options.heapMb ?? 320;
  const timeoutMs = options.startTimeoutMs ?? 180_000;
  const runner = await ensureRegistryDistribution({ progress });
  const [port] = await allocatePorts(1);
  const dir = await mkdtemp(join(tmpdir(), 'kafka-testkit-registry-'));
  watchDir(dir);
  const logFile = join(dir, 'registry.log');
  const url = `http://127.0.0.1:${port}/apis/ccompat/v7`;
  progress(`starting Apicurio Registry ${versions.apicurio} on ${url}`);
  const proc = startJava({
    java: javaCommand(),
    cwd: dir,
    logFile,
    jvmArgs: [
      `-Xms${heapMb}m`,
      `-Xmx${heapMb}m`,
      `-Dquarkus.http.port=${port}`,
      '-Dquarkus.http.host=127.0.0.1',
      // Access logs of every request are noise in a test log.
      '-Dquarkus.log.category."io.quarkus.vertx.http.runtime.filters.accesslog".level=WARN',
      '-jar',
      runner,
    ],
  });
  const cleanup = async () => {
    await proc.stop('SIGTERM', 10_000);
    await rm(dir, { recursive: true, force: true });
    unwatchDir(dir);
  };
  try {
    await waitUntilServing({
      name: 'Apicurio Registry',
      address: url,
      process: proc,
      logFile,
      timeoutMs,
      intervalMs: 200,
      answers: () => registryAnswers(url),
    });
    await setCompatibility(url, options.compatibility ?? 'BACKWARD');
  } catch (err) {
    await cleanup();
    throw err;
  }
  return startedRegistry('apicurio', url, startedAt, cleanup, { logFile, pid: proc.pid });
}

/** A start-up error with the end of the registry container's log; the container is removed. */
async function registryStartFailure(
  session: ContainerSession,
  name: string,
  err: unknown,
): Promise<KafkaTestkitError> {
  const { api } = session.engine;
  const logs = await containerLogTail(api, name, 40);
  await api
    .getContainer(name)
    .remove({ force: true, v: true })
    .catch(() => {});
  return new KafkaTestkitError(
    'TESTKIT_START_FAILED',
    `The registry container ${name} did not start: ${(err as Error).message}\n--- last lines of its log ---\n${logs}`,
    { cause: err },
  );
}

async function startContainerRegistry(
  options: SchemaRegistryOptions,
  startedAt: number,
): Promise<StartedSchemaRegistry> {
  const progress = options.progress ?? (() => {});
  const cluster = options.kafka;
  const inside = cluster ? containerInternals(cluster) : undefined;
  if (!inside) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      'startSchemaRegistry: the testcontainers backend needs { kafka } from startKafkaCluster on the same backend',
    );
  }
  const { session, network, images } = inside;
  const { tc } = session.engine;
  const heapMb = options.heapMb ?? 320;
  progress(`starting ${images.registry} (${images.origin.registry}) on ${network.name}`);
  const name = `${network.name}-schema-registry`;
  const timeoutMs = options.startTimeoutMs ?? 180_000;
  let container: StartedTestContainer;
  try {
    container = await session
      .container(images.registry, network, ['schema-registry'])
      .withName(name)
      // Apicurio's image takes JVM flags from JAVA_OPTS_APPEND, and so does the testkit's.
      .withEnvironment({
        JAVA_OPTS_APPEND: `-Xms${heapMb}m -Xmx${heapMb}m`,
        // Access logs of every request are noise in a test log.
        QUARKUS_LOG_CATEGORY__IO_QUARKUS_VERTX_HTTP_RUNTIME_FILTERS_ACCESSLOG__LEVEL: 'WARN',
      })
      .withExposedPorts(registryContainerPort)
      // Only that the JVM has begun (its first line of output). Whether the API answers is
      // checked below on 127.0.0.1, the address the tests use, as for the local registry:
      // Apicurio's log does not say when it listens.
      .withWaitStrategy(tc.Wait.forLogMessage(/\S/))
      .withStartupTimeout(timeoutMs)
      .start();
  } catch (err) {
    throw await registryStartFailure(session, name, err);
  }
  const url = `http://${publishedHostIp}:${container.getMappedPort(registryContainerPort)}/apis/ccompat/v7`;
  const stop = async () => {
    await container.stop({ timeout: 5_000, remove: true }).catch(() => {});
  };
  try {
    await waitFor(() => registryAnswers(url), {
      timeoutMs,
      intervalMs: 200,
      description: `${url}/subjects to answer`,
    });
    await setCompatibility(url, options.compatibility ?? 'BACKWARD');
  } catch (err) {
    const failure = await registryStartFailure(session, name, err);
    await stop();
    throw failure;
  }
  return startedRegistry('apicurio', url, startedAt, stop);
}

/**
 * Starts a Schema Registry with a Confluent-compatible API: the one named by
 * SCHEMA_REGISTRY_URL, else a container next to a testcontainers cluster, else a local
 * Apicurio Registry (Java 17+).
 */
export async function startSchemaRegistry(
  options: SchemaRegistryOptions = {},
): Promise<StartedSchemaRegistry> {
  const startedAt = Date.now();
  if (options.compatibility !== undefined && !compatibilityLevels.includes(options.compatibility)) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `compatibility: "${String(options.compatibility)}" is not one of ${compatibilityLevels.join(', ')}`,
    );
  }
  const external = process.env.SCHEMA_REGISTRY_URL?.trim();
  if (external) {
    const url = external.replace(/\/+$/, '');
    if (!(await registryAnswers(url))) {
      throw new KafkaTestkitError(
        'TESTKIT_START_FAILED',
        `SCHEMA_REGISTRY_URL=${url} does not answer GET ${url}/subjects`,
      );
    }
    // Not the testkit's registry: stop() leaves it running.
    return startedRegistry('external', url, startedAt, async () => {});
  }
  if (options.kafka?.backend === 'testcontainers')
    return startContainerRegistry(options, startedAt);
  return startLocalApicurio(options, startedAt);
}
