import { chooseBackend, type BackendName } from './backend-choice.js';
import type { KafkaClusterOptions, StartedKafkaCluster } from './cluster-types.js';
import { startContainerKafkaCluster } from './container-cluster.js';
import { probeEnvironment } from './environment-probe.js';
import { KafkaTestkitError } from './errors.js';
import { connectExternalKafkaCluster } from './external-cluster.js';
import { startLocalKafkaCluster } from './local-cluster.js';

/** The backend startKafkaCluster would use here, with the reason when none can work. */
export async function resolveBackend(requested?: BackendName): Promise<BackendName> {
  const facts = await probeEnvironment();
  return chooseBackend(requested ? { ...facts, requested } : facts);
}

/**
 * Starts a Kafka cluster ready for acks=all writes: an existing one named by
 * KAFKA_BOOTSTRAP_SERVERS, else local JVMs (Java + Maven), else Docker containers.
 */
export async function startKafkaCluster(
  options: KafkaClusterOptions = {},
): Promise<StartedKafkaCluster> {
  const backend = await resolveBackend(options.backend);
  const listener = options.sasl !== undefined ? 'sasl' : options.tls ? 'tls' : undefined;
  if (listener !== undefined && backend !== 'local') {
    // The containers' listeners and an existing cluster's security are not the testkit's to
    // change; a SASL or TLS test must not quietly run against a plaintext cluster.
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `${listener}: supported by the local backend only (this run chose ${backend}${backend === 'external' ? ', from KAFKA_BOOTSTRAP_SERVERS' : ''})`,
    );
  }
  switch (backend) {
    case 'external':
      return connectExternalKafkaCluster(process.env.KAFKA_BOOTSTRAP_SERVERS ?? '');
    case 'local':
      return startLocalKafkaCluster(options);
    case 'testcontainers':
      return startContainerKafkaCluster(options);
  }
}
