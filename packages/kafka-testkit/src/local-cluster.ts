import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { ensureKafkaDistribution } from './artifact-cache.js';
import {
  brokerGcFlags,
  newClusterId,
  renderBrokerProperties,
  renderLog4j2Properties,
  storageToolJvmFlags,
  validateBrokerConfig,
  type NodeAddress,
} from './broker-config.js';
import { liveBrokerIds, probeReplicatedWrite, testkitKafka } from './cluster-admin.js';
import type { KafkaClusterOptions, StartedKafkaCluster } from './cluster-types.js';
import { KafkaTestkitError } from './errors.js';
import { scramFormatArgs, validateSaslListener, type SaslUser } from './sasl-listener.js';
import { createBrokerKeystore, type BrokerKeystore } from './tls-listener.js';
import { startedCluster } from './started-cluster.js';
import { allocatePorts } from './free-ports.js';
import { javaCommand } from './java-runtime.js';
import { startJava, type JavaProcess } from './java-process.js';
import { localBrokerLogFiles } from './log-segments.js';
import { tailFile } from './log-tail.js';
import { waitFor } from './wait-for.js';
import { signalChild, unwatchDir, watchDir } from './process-reaper.js';

interface LocalNode {
  readonly address: NodeAddress;
  readonly dir: string;
  readonly propertiesFile: string;
  readonly logFile: string;
  process: JavaProcess | undefined;
}

// JVM flags from Kafka's own start scripts, with a fixed small heap for a test machine.
function brokerJvmArgs(node: LocalNode, root: string, libDir: string, heapMb: number): string[] {
  return [
    `-Xms${heapMb}m`,
    `-Xmx${heapMb}m`,
    ...brokerGcFlags,
    `-Dlog4j2.configurationFile=${join(root, 'log4j2.properties')}`,
    `-Dkafka.logs.dir=${join(node.dir, 'logs')}`,
    '-cp',
    `${libDir}/*`,
    'kafka.Kafka',
    node.propertiesFile,
  ];
}

async function describeFailure(node: LocalNode, what: string): Promise<string> {
  const status = node.process?.exitStatus();
  const exit = status?.spawnError
    ? `could not be started: ${status.spawnError}`
    : status
      ? `exited (code ${status.code}, signal ${status.signal})`
      : 'is still running';
  const serverLog = await tailFile(join(node.dir, 'logs', 'server.log'), 25);
  const stdout = await tailFile(node.logFile, 15);
  return (
    `${what}: broker ${node.address.id} ${exit}.\n` +
    `--- last lines of ${join(node.dir, 'logs', 'server.log')} ---\n${serverLog.join('\n') || '(empty)'}\n` +
    `--- last lines of ${node.logFile} ---\n${stdout.join('\n') || '(empty)'}`
  );
}

async function formatStorage(
  nodes: readonly LocalNode[],
  root: string,
  libDir: string,
  java: string,
  clusterId: string,
  saslUsers: readonly SaslUser[] | undefined,
): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      const proc = startJava({
        java,
        cwd: node.dir,
        logFile: node.logFile,
        background: false,
        jvmArgs: [
          ...storageToolJvmFlags,
          `-Dlog4j2.configurationFile=${join(root, 'log4j2.properties')}`,
          `-Dkafka.logs.dir=${join(node.dir, 'logs')}`,
          '-cp',
          `${libDir}/*`,
          'kafka.tools.StorageTool',
          'format',
          '-t',
          clusterId,
          '-c',
          node.propertiesFile,
          ...(saslUsers ? scramFormatArgs(saslUsers) : []),
        ],
      });
      const status = await proc.exited;
      if (status.code !== 0) {
        node.process = proc;
        throw new KafkaTestkitError(
          'TESTKIT_START_FAILED',
          await describeFailure(node, 'Formatting the KRaft storage failed'),
        );
      }
    }),
  );
}

/** Starts a cluster of local JVMs (the local backend). */
export async function startLocalKafkaCluster(
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
  const heapMb = options.heapMb ?? 384;
  if (!Number.isInteger(heapMb) || heapMb < 128) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `heapMb: expected an integer of at least 128, got ${heapMb}`,
    );
  }
  const overrides = validateBrokerConfig(options.brokerConfig ?? {});
  const saslUsers = options.sasl === undefined ? undefined : validateSaslListener(options.sasl);
  if (options.tls !== undefined && typeof options.tls !== 'boolean') {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `tls: expected true or false, got ${JSON.stringify(options.tls)}`,
    );
  }
  const tls = options.tls === true;
  const progress = options.progress ?? (() => {});
  const timeoutMs = options.startTimeoutMs ?? 180_000;
  const keepFiles = options.keepFiles ?? process.env.KAFKA_TESTKIT_KEEP_FILES === '1';
  const libDir = await ensureKafkaDistribution({ progress });
  const java = javaCommand();

  const perNode = 2 + (saslUsers ? 1 : 0) + (tls ? 1 : 0);
  const ports = await allocatePorts(count * perNode);
  const addresses: NodeAddress[] = Array.from({ length: count }, (_, i) => {
    const own = ports.slice(i * perNode, (i + 1) * perNode);
    return {
      id: i + 1,
      port: own.shift()!,
      controllerPort: own.shift()!,
      ...(saslUsers ? { saslPort: own.shift()! } : {}),
      ...(tls ? { sslPort: own.shift()! } : {}),
    };
  });
  const root = await mkdtemp(join(tmpdir(), 'kafka-testkit-'));
  if (!keepFiles) watchDir(root);
  const removeFiles = async () => {
    if (keepFiles) return;
    await rm(root, { recursive: true, force: true });
    unwatchDir(root);
  };
  await writeFile(join(root, 'log4j2.properties'), renderLog4j2Properties());
  let keystore: BrokerKeystore | undefined;
  if (tls) {
    try {
      keystore = await createBrokerKeystore(root);
    } catch (err) {
      await removeFiles();
      throw err;
    }
  }
  const nodes: LocalNode[] = [];
  for (const address of addresses) {
    const dir = join(root, `broker-${address.id}`);
    await mkdir(join(dir, 'data'), { recursive: true });
    await mkdir(join(dir, 'logs'), { recursive: true });
    const propertiesFile = join(dir, 'server.properties');
    await writeFile(
      propertiesFile,
      renderBrokerProperties({
        node: address,
        nodes: addresses,
        dataDir: join(dir, 'data'),
        overrides,
        saslUsers,
        keystore,
      }),
    );
    nodes.push({
      address,
      dir,
      propertiesFile,
      logFile: join(dir, 'logs', 'stdout.log'),
      process: undefined,
    });
  }

  const bootstrapServers = addresses.map((a) => `127.0.0.1:${a.port}`);
  const replication = Math.min(3, count);
  const kafka = testkitKafka(bootstrapServers);
  const admin: Admin = kafka.admin();

  const spawnNode = (node: LocalNode) => {
    node.process = startJava({
      java,
      cwd: node.dir,
      logFile: node.logFile,
      jvmArgs: brokerJvmArgs(node, root, libDir, heapMb),
    });
  };

  const killAll = async () => {
    await Promise.all(nodes.flatMap((n) => (n.process ? [n.process.stop('SIGKILL')] : [])));
  };

  // Fails fast with the log of a broker that died while we were waiting for it.
  const failIfExited = async (ids: readonly number[], what: string) => {
    for (const node of nodes) {
      if (ids.includes(node.address.id) && node.process?.exitStatus()) {
        throw new KafkaTestkitError('TESTKIT_START_FAILED', await describeFailure(node, what));
      }
    }
  };

  const waitForBrokers = async (ids: readonly number[], deadline: number, what: string) => {
    for (;;) {
      await failIfExited(ids, what);
      try {
        const live = await liveBrokerIds(admin);
        if (ids.every((id) => live.includes(id))) return;
      } catch {
        // Not reachable yet.
      }
      if (Date.now() > deadline) {
        const missing = nodes.filter((n) => ids.includes(n.address.id));
        const reports = await Promise.all(
          missing.map((n) => describeFailure(n, `${what} timed out after ${timeoutMs} ms`)),
        );
        throw new KafkaTestkitError('TESTKIT_TIMEOUT', reports.join('\n\n'));
      }
      await sleep(250);
    }
  };

  const allIds = addresses.map((a) => a.id);
  try {
    progress(`formatting ${count} KRaft nodes in ${root}`);
    await formatStorage(nodes, root, libDir, java, newClusterId(), saslUsers);
    progress(`starting ${count} brokers on ${bootstrapServers.join(', ')}`);
    nodes.forEach(spawnNode);
    const deadline = Date.now() + timeoutMs;
    await waitForBrokers(allIds, deadline, 'Cluster startup');
    // A broker is in the metadata a moment before its listener accepts connections (seen on
    // a busy machine: ECONNREFUSED right after all three were registered), so the first
    // replicated write is retried until the startup deadline.
    for (;;) {
      try {
        await admin.connect();
        await probeReplicatedWrite(kafka, admin, replication);
        break;
      } catch (err) {
        await failIfExited(allIds, 'Cluster startup');
        if (Date.now() > deadline) throw err;
        await admin.disconnect().catch(() => {});
        await sleep(250);
      }
    }
    progress(`cluster ready in ${Date.now() - startedAt} ms`);
  } catch (err) {
    // Read the logs before the brokers are killed and their files removed.
    const state = KafkaTestkitError.is(err)
      ? ''
      : (await Promise.all(nodes.map((n) => describeFailure(n, 'State at failure')))).join('\n\n');
    await admin.disconnect().catch(() => {});
    await killAll();
    await removeFiles();
    if (KafkaTestkitError.is(err)) throw err;
    throw new KafkaTestkitError(
      'TESTKIT_START_FAILED',
      `Cluster startup failed: ${(err as Error).message}\n${state}`,
      { cause: err },
    );
  }

  /** The state letter of /proc/<pid>/stat (R, S, T for stopped, ...); Linux only. */
  const processState = async (pid: number): Promise<string | undefined> => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    return stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  };
  const nodeById = (id: number): LocalNode => nodes.find((n) => n.address.id === id)!;
  const paused = new Set<number>();
  return startedCluster({
    backend: 'local',
    bootstrapServers,
    saslBootstrapServers: saslUsers ? addresses.map((a) => `127.0.0.1:${a.saslPort!}`) : undefined,
    tls: keystore
      ? {
          bootstrapServers: addresses.map((a) => `127.0.0.1:${a.sslPort!}`),
          caPem: keystore.caPem,
        }
      : undefined,
    brokers: addresses.map((a) => ({ id: a.id, host: '127.0.0.1', port: a.port })),
    startupMs: Date.now() - startedAt,
    logDir: root,
    brokerLogFiles: () => localBrokerLogFiles(root),
    admin,
    replication,
    brokerPid: (id) => {
      const proc = nodeById(id).process;
      return proc && !proc.exitStatus() ? proc.pid : undefined;
    },
    isBrokerRunning(id) {
      const proc = nodeById(id).process;
      if (!proc || proc.exitStatus() || paused.has(id)) return Promise.resolve(false);
      // The kernel, not the testkit's bookkeeping, says whether the process is there.
      try {
        process.kill(proc.pid, 0);
        return Promise.resolve(true);
      } catch {
        return Promise.resolve(false);
      }
    },
    async pauseBroker(id) {
      const proc = nodeById(id).process;
      if (!proc || proc.exitStatus()) {
        throw new KafkaTestkitError(
          'TESTKIT_BAD_OPTION',
          `pauseBroker: broker ${id} is not running`,
        );
      }
      signalChild(proc.pid, 'SIGSTOP');
      paused.add(id);
      await waitFor(async () => (await processState(proc.pid)) === 'T', {
        timeoutMs: 10_000,
        description: `broker ${id} frozen`,
      });
    },
    async resumeBroker(id) {
      const proc = nodeById(id).process;
      if (!paused.delete(id) || !proc) {
        throw new KafkaTestkitError(
          'TESTKIT_BAD_OPTION',
          `resumeBroker: broker ${id} is not paused`,
        );
      }
      signalChild(proc.pid, 'SIGCONT');
      await waitFor(async () => (await processState(proc.pid)) !== 'T', {
        timeoutMs: 10_000,
        description: `broker ${id} running again`,
      });
    },
    async stopBroker(id, signal) {
      const proc = nodeById(id).process;
      // A frozen JVM cannot act on SIGTERM: let it run first.
      if (paused.delete(id) && proc) signalChild(proc.pid, 'SIGCONT');
      if (!proc || proc.exitStatus()) {
        throw new KafkaTestkitError(
          'TESTKIT_BAD_OPTION',
          `stopBroker: broker ${id} is not running`,
        );
      }
      // A controlled shutdown moves leadership away first; 60 s is generous for that.
      await proc.stop(signal, 60_000);
    },
    async startBroker(id) {
      const node = nodeById(id);
      if (node.process && !node.process.exitStatus()) {
        throw new KafkaTestkitError(
          'TESTKIT_BAD_OPTION',
          `startBroker: broker ${id} is already running`,
        );
      }
      spawnNode(node);
      await waitForBrokers([id], Date.now() + timeoutMs, `Restart of broker ${id}`);
    },
    async shutdown() {
      // The data is thrown away, so a controlled shutdown would only cost time (and three
      // nodes stopping at once can wait a long while for a quorum that is leaving).
      await killAll();
      await removeFiles();
    },
  });
}
