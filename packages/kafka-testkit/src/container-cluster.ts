import type * as Testcontainers from 'testcontainers';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { clusterDefaults, newClusterId, validateBrokerConfig } from './broker-config.js';
import { liveBrokerIds, probeReplicatedWrite, testkitKafka } from './cluster-admin.js';
import type { KafkaClusterOptions, StartedKafkaCluster } from './cluster-types.js';
import { propertiesToImageEnv } from './container-env.js';
import { KafkaTestkitError } from './errors.js';
import { startedCluster } from './started-cluster.js';
import { allocatePorts } from './free-ports.js';
import { versions } from './versions.js';
import { waitFor } from './wait-for.js';

/** What the registry container needs to join a container cluster. */
export interface ContainerClusterInternals {
  readonly network: StartedNetwork;
  /** Bootstrap servers as seen from inside the container network. */
  readonly internalBootstrap: string;
}

const internals = new WeakMap<StartedKafkaCluster, ContainerClusterInternals>();

/** The network and internal addresses of a cluster started by the testcontainers backend. */
export function containerInternals(
  cluster: StartedKafkaCluster,
): ContainerClusterInternals | undefined {
  return internals.get(cluster);
}

/** Loads testcontainers, an optional peer dependency. */
export async function loadTestcontainers(): Promise<typeof Testcontainers> {
  try {
    return await import('testcontainers');
  } catch (err) {
    throw new KafkaTestkitError(
      'TESTKIT_NO_BACKEND',
      'The testcontainers backend needs the "testcontainers" package: npm install --save-dev testcontainers',
      { cause: err },
    );
  }
}

const internalPort = 19092;
const controllerPort = 9093;

/** Starts `apache/kafka` containers on a private network (the testcontainers backend). */
export async function startContainerKafkaCluster(
  options: KafkaClusterOptions = {},
): Promise<StartedKafkaCluster> {
  const startedAt = Date.now();
  const tc = await loadTestcontainers();
  const count = options.brokers ?? 3;
  if (!Number.isInteger(count) || count < 1 || count > 9) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `brokers: expected an integer from 1 to 9, got ${count}`,
    );
  }
  const overrides = validateBrokerConfig(options.brokerConfig ?? {});
  const progress = options.progress ?? (() => {});
  const network = await new tc.Network().start();
  // The host port is also the container port of the EXTERNAL listener, so the address a
  // broker advertises is the one the host can reach.
  const hostPorts = await allocatePorts(count);
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  const alias = (id: number) => `kafka-${id}`;
  const voters = ids.map((id) => `${id}@${alias(id)}:${controllerPort}`).join(',');
  const clusterId = newClusterId();
  const definitions = ids.map((id, i) => {
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
    };
    return new tc.GenericContainer(versions.kafkaImage)
      .withNetwork(network)
      .withNetworkAliases(alias(id))
      .withEnvironment({ ...propertiesToImageEnv(properties), CLUSTER_ID: clusterId })
      .withExposedPorts({ container: hostPort, host: hostPort })
      .withWaitStrategy(tc.Wait.forLogMessage(/Kafka Server started/))
      .withStartupTimeout(options.startTimeoutMs ?? 180_000);
  });
  progress(`starting ${count} ${versions.kafkaImage} containers`);
  const containers = new Map<number, StartedTestContainer>();
  const bootstrapServers = hostPorts.map((p) => `127.0.0.1:${p}`);
  const kafka = testkitKafka(bootstrapServers);
  const admin = kafka.admin();
  const replication = Math.min(3, count);
  const stopAll = async () => {
    await admin.disconnect().catch(() => {});
    await Promise.all([...containers.values()].map((c) => c.stop({ timeout: 0 }).catch(() => {})));
    await network.stop().catch(() => {});
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
    await stopAll();
    throw KafkaTestkitError.is(err)
      ? err
      : new KafkaTestkitError(
          'TESTKIT_START_FAILED',
          `Container cluster startup failed: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
  }

  const containerOf = (id: number): StartedTestContainer => containers.get(id)!;
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
      // timeout 0 makes Docker send SIGKILL at once; the container is kept for startBroker.
      await containerOf(id).stop({ timeout: signal === 'SIGKILL' ? 0 : 60_000, remove: false });
    },
    async pauseBroker(id) {
      const client = await tc.getContainerRuntimeClient();
      await client.container.getById(containerOf(id).getId()).pause();
    },
    async resumeBroker(id) {
      const client = await tc.getContainerRuntimeClient();
      await client.container.getById(containerOf(id).getId()).unpause();
    },
    async startBroker(id) {
      await containerOf(id).restart();
      await waitFor(async () => (await liveBrokerIds(admin)).includes(id), {
        timeoutMs: options.startTimeoutMs ?? 180_000,
        description: `broker ${id} back in the cluster metadata`,
      });
    },
    shutdown: stopAll,
  });
  internals.set(cluster, {
    network,
    internalBootstrap: ids.map((id) => `${alias(id)}:${internalPort}`).join(','),
  });
  return cluster;
}
