import type { Admin } from 'kafkajs';
import type { BackendName } from './backend-choice.js';
import { createTopicWith } from './cluster-admin.js';
import type {
  BrokerInfo,
  StartedKafkaCluster,
  StopBrokerOptions,
  TopicSpec,
} from './cluster-types.js';
import { consumeN, type ConsumeOptions } from './consume-n.js';
import { KafkaTestkitError } from './errors.js';
import { dumpLogBatches, type BrokerLogFiles } from './log-segments.js';
import { activeControllerId } from './metadata-quorum.js';
import type { TlsListenerInfo } from './tls-listener.js';

/** What a backend supplies; the checks and the shared operations are added here. */
export interface BackendParts {
  readonly backend: BackendName;
  readonly bootstrapServers: string[];
  readonly saslBootstrapServers?: string[];
  readonly tls?: TlsListenerInfo;
  readonly brokers: readonly BrokerInfo[];
  readonly startupMs: number;
  readonly logDir: string | undefined;
  /** Each broker's log files, for dumpLogBatches; a backend without them refuses it. */
  readonly brokerLogFiles?: () => Promise<BrokerLogFiles[]>;
  /** The testkit's admin client for this cluster, disconnected by stop(). */
  readonly admin: Admin;
  /** Replication of topics created without an explicit factor. */
  readonly replication: number;
  brokerPid(id: number): number | undefined;
  isBrokerRunning(id: number): Promise<boolean>;
  stopBroker(id: number, signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  startBroker(id: number): Promise<void>;
  pauseBroker(id: number): Promise<void>;
  resumeBroker(id: number): Promise<void>;
  /** Stops what the backend started (after the admin client has disconnected). */
  shutdown(): Promise<void>;
}

/** A StartedKafkaCluster over a backend: refuses use after stop() and unknown broker ids. */
export function startedCluster(parts: BackendParts): StartedKafkaCluster {
  let stopped = false;
  const ids = parts.brokers.map((b) => b.id);
  const live = () => {
    if (stopped) throw new KafkaTestkitError('TESTKIT_STOPPED', 'The cluster was stopped');
  };
  const known = (id: number) => {
    live();
    if (!ids.includes(id)) {
      throw new KafkaTestkitError(
        'TESTKIT_BAD_OPTION',
        `No broker ${id}; brokers are ${ids.join(', ')}`,
      );
    }
  };
  return {
    backend: parts.backend,
    bootstrapServers: parts.bootstrapServers,
    saslBootstrapServers: parts.saslBootstrapServers,
    tls: parts.tls,
    brokers: parts.brokers,
    startupMs: parts.startupMs,
    logDir: parts.logDir,
    brokerPid(id: number) {
      known(id);
      return parts.brokerPid(id);
    },
    async isBrokerRunning(id: number) {
      known(id);
      return parts.isBrokerRunning(id);
    },
    async stopBroker(id: number, options: StopBrokerOptions = {}) {
      known(id);
      const signal = options.signal ?? 'SIGTERM';
      if (signal !== 'SIGTERM' && signal !== 'SIGKILL') {
        throw new KafkaTestkitError(
          'TESTKIT_BAD_OPTION',
          `stopBroker: signal must be SIGTERM or SIGKILL, got ${String(signal)}`,
        );
      }
      await parts.stopBroker(id, signal);
    },
    async startBroker(id: number) {
      known(id);
      await parts.startBroker(id);
    },
    async pauseBroker(id: number) {
      known(id);
      await parts.pauseBroker(id);
    },
    async resumeBroker(id: number) {
      known(id);
      await parts.resumeBroker(id);
    },
    async activeControllerId() {
      live();
      return activeControllerId(parts.bootstrapServers);
    },
    async dumpLogBatches(topic: string) {
      live();
      if (!parts.brokerLogFiles) {
        throw new KafkaTestkitError(
          'TESTKIT_UNSUPPORTED',
          `dumpLogBatches reads the brokers' log files, which the ${parts.backend} backend cannot reach`,
        );
      }
      return dumpLogBatches(await parts.brokerLogFiles(), topic);
    },
    async createTopic(spec: TopicSpec) {
      live();
      await createTopicWith(parts.admin, spec, parts.replication);
    },
    async consumeN(topic: string, n: number, options?: ConsumeOptions) {
      live();
      return consumeN(parts.bootstrapServers, topic, n, options);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await parts.admin.disconnect().catch(() => {});
      await parts.shutdown();
    },
  };
}
