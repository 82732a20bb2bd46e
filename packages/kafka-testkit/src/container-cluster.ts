import type { StartedTestContainer } from 'testcontainers';
import { clusterDefaults, newClusterId, validateBrokerConfig } from './broker-config.js';
import { liveBrokerIds, probeReplicatedWrite, testkitKafka } from './cluster-admin.js';
import type { KafkaClusterOptions, StartedKafkaCluster } from './cluster-types.js';
import { resolveContainerImages, type ContainerImages } from './container-images.js';
import { propertiesToImageEnv } from './container-env.js';
import {
  containerSession,
  type ContainerSession,
  type SessionNetwork,
} from './container-session.js';
import { KafkaTestkitError } from './errors.js';
import { containerLogTail } from './container-logs.js';
import { partitionOfSegment } from './log-segments.js';
import { startedCluster } from './started-cluster.js';
import { allocatePorts } from './free-ports.js';
import { waitFor } from './wait-for.js';

/** What the registry container needs to join a container cluster. */
export interface ContainerClusterInternals {
  readonly session: ContainerSession;
  readonly network: SessionNetwork;
  readonly images: ContainerImages;
}

const internals = new WeakMap<StartedKafkaCluster, ContainerClusterInternals>();

/** The network, session and images of a cluster started by the testcontainers backend. */
export function containerInternals(
  cluster: StartedKafkaCluster,
): ContainerClusterInternals | undefined {
  return internals.get(cluster);
}

const internalPort = 19092;
const controllerPort = 9093;

/** The containers on a session network (also ones whose start failed half-way). */
async function containersOn(session: ContainerSession, network: SessionNetwork) {
  return session.engine.api.listContainers({
    all: true,
    filters: { network: [network.name] },
  });
}

/**
 * Removes every container on the network (the registry's too), with its anonymous volumes,
 * then the network.
 */
async function removeNetworkAndContainers(
  session: ContainerSession,
  network: SessionNetwork,
): Promise<void> {
  const { api } = session.engine;
  const found = await containersOn(session, network).catch(() => []);
  await Promise.all(
    found.map((c) =>
      api
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => {}),
    ),
  );
  await network.remove().catch(() => {});
}

/** The last lines each container on the network wrote, for a start-up error. */
async function containerLogTails(
  session: ContainerSession,
  network: SessionNetwork,
): Promise<string> {
  const parts: string[] = [];
  for (const c of await containersOn(session, network).catch(() => [])) {
    const tail = await containerLogTail(session.engine.api, c.Id, 25);
    parts.push(`--- last lines of ${c.Names.join(',')} (${c.State}) ---\n${tail}`);
  }
  return parts.join('\n');
}

/** Runs a command in a container; its standard output, or an error with its output. */
async function execIn(container: StartedTestContainer, command: string[]): Promise<string> {
  const result = await container.exec(command);
  if (result.exitCode !== 0) {
    throw new KafkaTestkitError(
      'TESTKIT_CONSUME_FAILED',
      `${command.join(' ')} exited ${result.exitCode} in ${container.getName()}:\n${result.stderr.split('\n').slice(-20).join('\n')}`,
    );
  }
  return result.stdout;
}

/** Where a broker container keeps its data; a restarted container finds it there. */
const containerLogDirs = '/tmp/kraft-combined-logs';

/**
 * Starts Kafka containers (apache/kafka, or the testkit's own build of it) on a network of
 * their own (the testcontainers backend).
 */
export async function startContainerKafkaCluster(
  options: KafkaClusterOptions = {},
): Promise<StartedKafkaCluster> {
  const startedAt = Date.now();
  const count = options.brokers ?? 3;
  if (!Number.isInteger(count) || count < 1 || count > 9) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `brokers: expected an integer from 1 to 9, got ${count}`,
    );
  }
  const overrides = validateBrokerConfig(options.brokerConfig ?? {});
  const heapMb = options.heapMb ?? 384;
  if (!Number.isInteger(heapMb) || heapMb < 128) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `heapMb: expected an integer of at least 128, got ${heapMb}`,
    );
  }
  const progress = options.progress ?? (() => {});
  const session = await containerSession();
  const { tc, api } = session.engine;
  // The host port is also the container port of the EXTERNAL listener, so the address a
  // broker advertises is the one the host can reach.
  const hostPorts = await allocatePorts(count);
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  const alias = (id: number) => `kafka-${id}`;
  const voters = ids.map((id) => `${id}@${alias(id)}:${controllerPort}`).join(',');
  const clusterId = newClusterId();
  // Built (and checked: a bad property name throws here) before anything is created.
  const environments = ids.map((id, i) => {
    const hostPort = hostPorts[i]!;
    const properties: Record<string, string> = {
      ...clusterDefaults(count),
      ...overrides,
      'node.id': String(id),
      'process.roles': 'broker,controller',
      listeners: `PLAINTEXT://:${internalPort},CONTROLLER://:${controllerPort},EXTERNAL://:${hostPort}`,
      'advertised.listeners': `PLAINTEXT://${alias(id)}:${internalPort},EXTERNAL://127.0.0.1:${hostPort}`,
      'listener.security.protocol.map':
        'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT',
      'controller.listener.names': 'CONTROLLER',
      'inter.broker.listener.name': 'PLAINTEXT',
      'controller.quorum.voters': voters,
      'log.dirs': containerLogDirs,
    };
    return {
      ...propertiesToImageEnv(properties),
      CLUSTER_ID: clusterId,
      KAFKA_HEAP_OPTS: `-Xms${heapMb}m -Xmx${heapMb}m`,
    };
  });
  const images = await resolveContainerImages({ progress });
  const network = await session.createNetwork('kafka');
  const definitions = ids.map((id, i) =>
    session
      .container(images.kafka, network, [alias(id)])
      .withName(`${network.name}-${alias(id)}`)
      .withEnvironment(environments[i]!)
      .withExposedPorts({ container: hostPorts[i]!, host: hostPorts[i]! })
      .withWaitStrategy(tc.Wait.forLogMessage(/Kafka Server started/))
      .withStartupTimeout(options.startTimeoutMs ?? 180_000),
  );
  progress(
    `starting ${count} ${images.kafka} containers (${images.origin.kafka}) on ${network.name}`,
  );
  const containers = new Map<number, StartedTestContainer>();
  const bootstrapServers = hostPorts.map((p) => `127.0.0.1:${p}`);
  const kafka = testkitKafka(bootstrapServers);
  const admin = kafka.admin();
  const replication = Math.min(3, count);
  const stopAll = async () => {
    await admin.disconnect().catch(() => {});
    await removeNetworkAndContainers(session, network);
  };
  try {
    const started = await Promise.all(definitions.map((d) => d.start()));
    started.forEach((c, i) => containers.set(ids[i]!, c));
    await admin.connect();
    await waitFor(async () => (await liveBrokerIds(admin)).length === count, {
      timeoutMs: options.startTimeoutMs ?? 180_000,
      description: `${count} brokers in the cluster metadata`,
    });
    await probeReplicatedWrite(kafka, admin, replication);
  } catch (err) {
    const logs = await containerLogTails(session, network);
    await stopAll();
    throw new KafkaTestkitError(
      KafkaTestkitError.is(err) ? err.code : 'TESTKIT_START_FAILED',
      `Container cluster startup failed: ${(err as Error).message}\n${logs}`,
      { cause: err },
    );
  }

  const containerOf = (id: number): StartedTestContainer => containers.get(id)!;
  const engineContainer = (id: number) => api.getContainer(containerOf(id).getId());
  const cluster = startedCluster({
    backend: 'testcontainers',
    bootstrapServers,
    brokers: ids.map((id, i) => ({ id, host: '127.0.0.1', port: hostPorts[i]! })),
    startupMs: Date.now() - startedAt,
    logDir: undefined,
    admin,
    replication,
    brokerPid: () => undefined,
    async stopBroker(id, signal) {
      const container = engineContainer(id);
      // A crash is SIGKILL and nothing before it (docker stop would send SIGTERM first).
      // The container is kept, with its data, for startBroker.
      if (signal === 'SIGKILL') await container.kill({ signal: 'SIGKILL' });
      else await container.stop({ t: 60 });
      await container.wait({ condition: 'not-running' });
    },
    async pauseBroker(id) {
      await engineContainer(id).pause();
    },
    async resumeBroker(id) {
      await engineContainer(id).unpause();
    },
    async isBrokerRunning(id) {
      const state = (await engineContainer(id).inspect()).State;
      return state.Running && !state.Paused;
    },
    // Kafka's DumpLogSegments run inside each broker's container, by its own Java and jars
    // (apache/kafka and the testkit's image both keep them in /opt/kafka/libs).
    brokerLogFiles: () =>
      Promise.resolve(
        ids.map((id) => ({
          async segments(topic: string) {
            const listing = await execIn(containerOf(id), [
              'sh',
              '-c',
              `ls -1 ${containerLogDirs}/*/*.log 2>/dev/null || true`,
            ]);
            const found = new Map<string, number>();
            for (const path of listing.split('\n').map((l) => l.trim())) {
              const partition = partitionOfSegment(path, topic);
              if (partition !== undefined) found.set(path, partition);
            }
            return found;
          },
          dump: (files: readonly string[]) =>
            execIn(containerOf(id), [
              'java',
              '-Xmx256m',
              '-XX:TieredStopAtLevel=1',
              '-cp',
              '/opt/kafka/libs/*',
              'kafka.tools.DumpLogSegments',
              '--print-data-log',
              '--files',
              files.join(','),
            ]),
        })),
      ),
    async startBroker(id) {
      await engineContainer(id).start();
      await waitFor(async () => (await liveBrokerIds(admin)).includes(id), {
        timeoutMs: options.startTimeoutMs ?? 180_000,
        description: `broker ${id} back in the cluster metadata`,
      });
    },
    shutdown: stopAll,
  });
  internals.set(cluster, { session, network, images });
  return cluster;
}
