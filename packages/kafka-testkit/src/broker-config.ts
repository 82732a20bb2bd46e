import { randomBytes } from 'node:crypto';
import { KafkaTestkitError } from './errors.js';
import { saslListenerProperties, type SaslUser } from './sasl-listener.js';
import { tlsListenerProperties, type BrokerKeystore } from './tls-listener.js';

/** One KRaft node of a local cluster: a combined broker and controller. */
export interface NodeAddress {
  readonly id: number;
  readonly port: number;
  readonly controllerPort: number;
  /** The SASL_PLAINTEXT listener's port, when the cluster has one. */
  readonly saslPort?: number;
  /** The SSL listener's port, when the cluster has one. */
  readonly sslPort?: number;
}

export type BrokerConfigValue = string | number | boolean;

/** Settings every node of a cluster of `nodeCount` nodes gets, before user overrides. */
export function clusterDefaults(nodeCount: number): Record<string, string> {
  const replication = Math.min(3, nodeCount);
  // One replica may be lost and writes with acks=all still succeed; with a single node
  // there is nothing to lose.
  const minIsr = Math.max(1, replication - 1);
  return {
    'default.replication.factor': String(replication),
    'min.insync.replicas': String(minIsr),
    'offsets.topic.replication.factor': String(replication),
    'transaction.state.log.replication.factor': String(replication),
    'transaction.state.log.min.isr': String(minIsr),
    'share.coordinator.state.topic.replication.factor': String(replication),
    'share.coordinator.state.topic.min.isr': String(minIsr),
    'group.initial.rebalance.delay.ms': '0',
    // 50 partitions (the default) make the first consumer group of a run wait for 150
    // replica assignments; 10 keep group coordination realistic and start faster.
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.num.partitions': '10',
    // Detect a killed node in a few seconds instead of 9, so failover tests stay short.
    'broker.heartbeat.interval.ms': '1000',
    'broker.session.timeout.ms': '6000',
    'num.partitions': '1',
    'unclean.leader.election.enable': 'false',
  };
}

/** `controller.quorum.voters` for a static KRaft quorum of all nodes. */
export function controllerQuorumVoters(nodes: readonly NodeAddress[]): string {
  return nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
}

/** Keys a user may not override: the testkit owns the addresses and the quorum. */
export const reservedBrokerKeys: readonly string[] = [
  'node.id',
  'process.roles',
  'listeners',
  'advertised.listeners',
  'controller.listener.names',
  'inter.broker.listener.name',
  'listener.security.protocol.map',
  'controller.quorum.voters',
  'log.dirs',
];

const propertyKey = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Checks user overrides: keys are Kafka property names, values fit on one line. */
export function validateBrokerConfig(
  overrides: Readonly<Record<string, BrokerConfigValue>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (!propertyKey.test(key)) {
      throw new KafkaTestkitError(
        'TESTKIT_BAD_OPTION',
        `brokerConfig: "${key}" is not a Kafka property name (letters, digits, '.', '_' and '-')`,
      );
    }
    if (reservedBrokerKeys.includes(key)) {
      throw new KafkaTestkitError(
        'TESTKIT_BAD_OPTION',
        `brokerConfig["${key}"]: set by the testkit (addresses, quorum and data dirs) and cannot be overridden`,
      );
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new KafkaTestkitError(
        'TESTKIT_BAD_OPTION',
        `brokerConfig["${key}"]: expected a string, number or boolean, got ${typeof value}`,
      );
    }
    const text = String(value);
    if (/[\r\n]/.test(text)) {
      throw new KafkaTestkitError(
        'TESTKIT_BAD_OPTION',
        `brokerConfig["${key}"]: the value must not contain a line break`,
      );
    }
    out[key] = text;
  }
  return out;
}

/** Escapes a value for a Java .properties file (backslashes would otherwise be eaten). */
function propertiesValue(value: string): string {
  return value.replace(/\\/g, '\\\\');
}

/** The server.properties of one node. User overrides win over the cluster defaults. */
export function renderBrokerProperties(args: {
  node: NodeAddress;
  nodes: readonly NodeAddress[];
  dataDir: string;
  overrides?: Readonly<Record<string, string>>;
  /** Users of a SASL_PLAINTEXT listener on `node.saslPort`; none without. */
  saslUsers?: readonly SaslUser[];
  /** The key pair of an SSL listener on `node.sslPort`; none without. */
  keystore?: BrokerKeystore;
}): string {
  const { node, nodes, dataDir, saslUsers, keystore } = args;
  if (saslUsers !== undefined && node.saslPort === undefined) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `broker ${node.id}: SASL users without a SASL port`,
    );
  }
  if (keystore !== undefined && node.sslPort === undefined) {
    throw new KafkaTestkitError('TESTKIT_BAD_OPTION', `broker ${node.id}: TLS without an SSL port`);
  }
  // Brokers and controllers talk plaintext among themselves; clients choose a listener.
  const clientListeners: [name: string, port: number][] = [['PLAINTEXT', node.port]];
  if (saslUsers) clientListeners.push(['SASL_PLAINTEXT', node.saslPort!]);
  if (keystore) clientListeners.push(['SSL', node.sslPort!]);
  const address = ([name, port]: [string, number]) => `${name}://127.0.0.1:${port}`;
  const fixed: Record<string, string> = {
    'node.id': String(node.id),
    'process.roles': 'broker,controller',
    listeners: [
      address(clientListeners[0]!),
      `CONTROLLER://127.0.0.1:${node.controllerPort}`,
      ...clientListeners.slice(1).map(address),
    ].join(','),
    'advertised.listeners': clientListeners.map(address).join(','),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': [
      'PLAINTEXT:PLAINTEXT',
      'CONTROLLER:PLAINTEXT',
      ...clientListeners.slice(1).map(([name]) => `${name}:${name}`),
    ].join(','),
    'controller.quorum.voters': controllerQuorumVoters(nodes),
    'log.dirs': dataDir,
    ...(saslUsers ? saslListenerProperties(saslUsers) : {}),
    ...(keystore ? tlsListenerProperties(keystore) : {}),
  };
  const merged = { ...clusterDefaults(nodes.length), ...args.overrides, ...fixed };
  const lines = Object.entries(merged).map(([k, v]) => `${k}=${propertiesValue(v)}`);
  return `# Written by @org/kafka-testkit\n${lines.join('\n')}\n`;
}

/** Log4j 2 configuration: everything to `${kafka.logs.dir}/server.log`, nothing to stdout. */
/**
 * The broker's Log4j 2 configuration: into `${kafka.logs.dir}/server.log` for a local JVM,
 * or to standard output in a container, where `docker logs` and the start-up wait read it.
 */
export function renderLog4j2Properties(to: 'file' | 'console' = 'file'): string {
  const appender =
    to === 'file'
      ? [
          'appender.out.type = File',
          'appender.out.name = out',
          'appender.out.fileName = ${sys:kafka.logs.dir}/server.log',
        ]
      : [
          'appender.out.type = Console',
          'appender.out.name = out',
          'appender.out.target = SYSTEM_OUT',
        ];
  return [
    'status = error',
    ...appender,
    'appender.out.layout.type = PatternLayout',
    'appender.out.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.out.ref = out',
    // The request logger is very chatty at INFO and tells nothing a test needs.
    'logger.request.name = kafka.request.logger',
    'logger.request.level = WARN',
    '',
  ].join('\n');
}

/** The broker JVM's garbage-collector flags, from Kafka's own start scripts; every backend. */
export const brokerGcFlags: readonly string[] = [
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-Djava.awt.headless=true',
];

/** The format tool runs for a second: C1 only, full JIT would only cost CPU. */
export const storageToolJvmFlags: readonly string[] = ['-Xmx128m', '-XX:TieredStopAtLevel=1'];

/**
 * A new KRaft cluster id: 16 random bytes, base64url without padding (Kafka's Uuid form).
 * Like Kafka's own `Uuid.randomUuid()`, it never begins with '-': kafka-storage would read
 * such an id as an option and fail (1 start in 64 did, before this rule).
 */
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const bytes = random();
    if (bytes.length !== 16) {
      throw new KafkaTestkitError(
        'TESTKIT_BAD_OPTION',
        `cluster id: expected 16 bytes, got ${bytes.length}`,
      );
    }
    const id = bytes.toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
