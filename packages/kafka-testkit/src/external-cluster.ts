import { testkitKafka } from './cluster-admin.js';
import type { StartedKafkaCluster } from './cluster-types.js';
import { KafkaTestkitError } from './errors.js';
import { startedCluster } from './started-cluster.js';

/** Splits `KAFKA_BOOTSTRAP_SERVERS` ("host:port,host:port") and checks each entry. */
export function parseBootstrapServers(text: string): string[] {
  const servers = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (servers.length === 0) {
    throw new KafkaTestkitError('TESTKIT_BAD_OPTION', 'KAFKA_BOOTSTRAP_SERVERS is empty');
  }
  for (const server of servers) {
    const match = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(server);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) {
      throw new KafkaTestkitError(
        'TESTKIT_BAD_OPTION',
        `KAFKA_BOOTSTRAP_SERVERS: "${server}" is not host:port`,
      );
    }
  }
  return servers;
}

function unsupported(what: string): never {
  throw new KafkaTestkitError(
    'TESTKIT_UNSUPPORTED',
    `${what} is not possible on an external cluster (KAFKA_BOOTSTRAP_SERVERS): the testkit does not own its brokers`,
  );
}

/** Connects to an existing cluster; stop() only disconnects. */
export async function connectExternalKafkaCluster(bootstrap: string): Promise<StartedKafkaCluster> {
  const startedAt = Date.now();
  const bootstrapServers = parseBootstrapServers(bootstrap);
  const admin = testkitKafka(bootstrapServers).admin();
  let described;
  try {
    await admin.connect();
    described = await admin.describeCluster();
  } catch (err) {
    await admin.disconnect().catch(() => {});
    throw new KafkaTestkitError(
      'TESTKIT_START_FAILED',
      `Cannot reach the cluster named by KAFKA_BOOTSTRAP_SERVERS (${bootstrapServers.join(', ')}): ${(err as Error).message}`,
      { cause: err },
    );
  }
  return startedCluster({
    backend: 'external',
    bootstrapServers,
    brokers: described.brokers.map((b) => ({ id: b.nodeId, host: b.host, port: b.port })),
    startupMs: Date.now() - startedAt,
    logDir: undefined,
    admin,
    replication: Math.min(3, described.brokers.length),
    brokerPid: () => undefined,
    isBrokerRunning: () => unsupported('Watching a broker process'),
    stopBroker: () => unsupported('Stopping a broker'),
    startBroker: () => unsupported('Starting a broker'),
    pauseBroker: () => unsupported('Freezing a broker'),
    resumeBroker: () => unsupported('Resuming a broker'),
    // The testkit does not own these brokers: stop() only disconnects.
    shutdown: async () => {},
  });
}
