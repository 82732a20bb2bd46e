import type { BackendName } from './backend-choice.js';
import type { BrokerConfigValue } from './broker-config.js';
import type { ProgressListener } from './artifact-cache.js';
import type { ConsumedMessage, ConsumeOptions } from './consume-n.js';
import type { LogBatch } from './log-segments.js';
import type { SaslListenerOptions } from './sasl-listener.js';
import type { TlsListenerInfo } from './tls-listener.js';

/** One broker of a started cluster, as clients reach it. */
export interface BrokerInfo {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

/** A topic to create; replication defaults to min(3, brokers). */
export interface TopicSpec {
  readonly topic: string;
  readonly partitions?: number;
  readonly replicationFactor?: number;
  readonly configs?: Readonly<Record<string, string>>;
}

export interface StopBrokerOptions {
  /** SIGTERM lets the broker shut down in a controlled way; SIGKILL is a crash. */
  readonly signal?: 'SIGTERM' | 'SIGKILL';
}

export interface KafkaClusterOptions {
  /** Number of KRaft nodes (combined broker and controller). Default 3. */
  readonly brokers?: number;
  /** Extra server.properties for every node, applied over the testkit's defaults. */
  readonly brokerConfig?: Readonly<Record<string, BrokerConfigValue>>;
  /** Heap of each broker JVM in MiB. Default 384. */
  readonly heapMb?: number;
  /** How long startup may take before it fails with the brokers' logs. Default 180 000. */
  readonly startTimeoutMs?: number;
  /** Keep the brokers' data and log files after stop() (they are removed by default). */
  readonly keepFiles?: boolean;
  /** Receives fetch and startup steps; default: silent. */
  readonly progress?: ProgressListener;
  /** Overrides KAFKA_TESTKIT_BACKEND and the automatic choice. */
  readonly backend?: BackendName;
  /**
   * Also a SASL_PLAINTEXT listener on every node (PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512)
   * for these users; its addresses are `saslBootstrapServers`. Local backend only.
   */
  readonly sasl?: SaslListenerOptions;
  /**
   * Also an SSL listener on every node, with a fresh self-signed certificate for 127.0.0.1
   * and localhost; its addresses and the certificate to trust are `tls`. Local backend only.
   */
  readonly tls?: boolean;
}

/** A running cluster. Every method fails with TESTKIT_STOPPED once stop() was called. */
export interface StartedKafkaCluster {
  readonly backend: BackendName;
  /** `host:port` of every broker, for a client's `brokers` option. */
  readonly bootstrapServers: string[];
  /** `host:port` of every broker's SASL_PLAINTEXT listener; undefined without `sasl`. */
  readonly saslBootstrapServers: string[] | undefined;
  /** The SSL listener's addresses and the certificate to trust; undefined without `tls`. */
  readonly tls: TlsListenerInfo | undefined;
  readonly brokers: readonly BrokerInfo[];
  /** Milliseconds from the call to a cluster ready for acks=all writes. */
  readonly startupMs: number;
  /** Directory holding each broker's `server.log` (local backend only). */
  readonly logDir: string | undefined;
  /** The operating-system process id of a broker (local backend only). */
  brokerPid(id: number): number | undefined;
  /**
   * True while the broker's process (local) or container (testcontainers) runs and is not
   * frozen, as the kernel or the Docker engine reports it.
   */
  isBrokerRunning(id: number): Promise<boolean>;
  /** Stops one broker and waits until its process has exited. */
  stopBroker(id: number, options?: StopBrokerOptions): Promise<void>;
  /** Starts a stopped broker again with its data; resolves once it is back in the metadata. */
  startBroker(id: number): Promise<void>;
  /**
   * Freezes a broker (SIGSTOP; a paused container): its sockets stay open and it answers
   * nothing, like a broker in a long GC pause, until resumeBroker(). stop() ends it anyway.
   */
  pauseBroker(id: number): Promise<void>;
  /** Lets a frozen broker run again (SIGCONT; an unpaused container). */
  resumeBroker(id: number): Promise<void>;
  /** The node id of the active KRaft controller, from Kafka's kafka-metadata-quorum tool. */
  activeControllerId(): Promise<number>;
  /**
   * Every record batch of `topic` in the brokers' log files, read with Kafka's
   * DumpLogSegments (on this machine for the local backend, inside each broker's container
   * for testcontainers; not for external): producer ids, epochs, sequences and values.
   */
  dumpLogBatches(topic: string): Promise<LogBatch[]>;
  /** Creates a topic and waits until every partition has a leader. */
  createTopic(spec: TopicSpec): Promise<void>;
  /** Reads the first `n` records of `topic` with a throwaway consumer group. */
  consumeN(topic: string, n: number, options?: ConsumeOptions): Promise<ConsumedMessage[]>;
  /** Stops every broker the testkit started and removes their files. Idempotent. */
  stop(): Promise<void>;
}
