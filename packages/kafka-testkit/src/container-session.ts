// Everything the container backend creates belongs to this process's session: a label on
// every container and network, registered with the reaper before the first one exists, so
// that they are removed when this process ends in any way, SIGKILL included. Containers
// talk only over a network the session creates and publish ports on loopback only.
import { randomUUID } from 'node:crypto';
import type { GenericContainer } from 'testcontainers';
import { dockerEngine, type DockerEngine } from './docker-engine.js';
import { KafkaTestkitError } from './errors.js';
import { watchEngineLabel } from './process-reaper.js';

/** The label that names a container's or a network's session. */
export const sessionLabel = 'org.kafka-testkit.session';

/** The only host address a container port is published on. */
export const publishedHostIp = '127.0.0.1';

let sessionId: string | undefined;

/** This process's session id, the value of `sessionLabel` on what it creates. */
function containerSessionId(): string {
  sessionId ??= randomUUID();
  return sessionId;
}

/**
 * `key=value` of the label on every container and network this process's testcontainers
 * backend creates, for a Docker label filter (`docker ps -a --filter label=...`).
 */
export function containerSessionLabel(): string {
  return `${sessionLabel}=${containerSessionId()}`;
}

/** A network of the session's own. */
export interface SessionNetwork {
  readonly name: string;
  remove(): Promise<void>;
}

export interface ContainerSession {
  readonly engine: DockerEngine;
  createNetwork(purpose: string): Promise<SessionNetwork>;
  /**
   * A container attached to `network` only (not Docker's default bridge), reachable there
   * as `aliases`, with every published port bound to 127.0.0.1.
   */
  container(image: string, network: SessionNetwork, aliases: readonly string[]): GenericContainer;
}

/** The session, with the reaper told about it before anything is created. */
export async function containerSession(): Promise<ContainerSession> {
  const engine = await dockerEngine();
  if (!engine.endpoint) {
    throw new KafkaTestkitError(
      'TESTKIT_UNSUPPORTED',
      'The Docker engine is reached over TLS or SSH; the testkit can only clean up after a crash ' +
        'through a Unix socket or plain TCP (DOCKER_HOST=unix://... or tcp://...)',
    );
  }
  watchEngineLabel(engine.endpoint, containerSessionLabel());
  const labels = { [sessionLabel]: containerSessionId() };
  const { tc, api } = engine;

  class SessionContainer extends tc.GenericContainer {
    constructor(
      image: string,
      private readonly networkName: string,
      private readonly aliases: readonly string[],
    ) {
      super(image);
      // With aliases, testcontainers would create the container on the default bridge and
      // connect it to the network afterwards; joining the network at creation keeps it off
      // the bridge.
      this.withNetworkMode(networkName).withLabels(labels);
    }

    protected override beforeContainerCreated(): Promise<void> {
      const portBindings: Record<string, { HostIp?: string }[]> =
        (this.hostConfig.PortBindings as Record<string, { HostIp?: string }[]> | undefined) ?? {};
      for (const bindings of Object.values(portBindings)) {
        for (const binding of bindings) binding.HostIp = publishedHostIp;
      }
      this.createOpts.NetworkingConfig = {
        EndpointsConfig: { [this.networkName]: { Aliases: [...this.aliases] } },
      };
      return Promise.resolve();
    }
  }

  return {
    engine,
    async createNetwork(purpose) {
      const name = `kafka-testkit-${purpose}-${randomUUID().slice(0, 8)}`;
      const network = await api.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: labels,
      });
      return {
        name,
        remove: async () => {
          await network.remove();
        },
      };
    },
    container: (image, network, aliases) => new SessionContainer(image, network.name, aliases),
  };
}
