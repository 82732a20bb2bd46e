import type { Admin } from 'kafkajs';
import { ConfigError, KafkaSdkError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';

/** A topic as it should exist. */
export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  /** Default min(3, number of brokers). */
  readonly replicationFactor?: number;
  /** Topic configs; `min.insync.replicas` defaults to 2 when the replication factor is 3. */
  readonly configs?: Readonly<Record<string, string>>;
}

export interface EnsureTopicsReport {
  readonly created: readonly string[];
  readonly increased: readonly { topic: string; from: number; to: number }[];
  readonly unchanged: readonly string[];
}

/** The settings a new topic gets: safe replication and min.insync.replicas. */
export function resolveTopicDefaults(
  spec: TopicSpec,
  brokerCount: number,
): { replicationFactor: number; configs: Record<string, string> } {
  const replicationFactor = spec.replicationFactor ?? Math.min(3, brokerCount);
  const configs: Record<string, string> = { ...spec.configs };
  if (replicationFactor >= 3 && configs['min.insync.replicas'] === undefined) {
    configs['min.insync.replicas'] = '2';
  }
  return { replicationFactor, configs };
}

function validateSpecs(specs: readonly TopicSpec[]): void {
  const issues = [];
  for (const [i, spec] of specs.entries()) {
    if (typeof spec.topic !== 'string' || !/^[A-Za-z0-9._-]{1,249}$/.test(spec.topic)) {
      issues.push({
        path: `[${i}].topic`,
        message: 'letters, digits, ".", "_" and "-", 1 to 249 characters',
      });
    }
    if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
      issues.push({
        path: `[${i}].partitions`,
        message: `expected a positive integer, got ${spec.partitions}`,
      });
    }
    if (
      spec.replicationFactor !== undefined &&
      (!Number.isInteger(spec.replicationFactor) || spec.replicationFactor < 1)
    ) {
      issues.push({
        path: `[${i}].replicationFactor`,
        message: `expected a positive integer, got ${spec.replicationFactor}`,
      });
    }
  }
  if (issues.length > 0) throw new ConfigError('ensureTopics', issues);
}

/** How long provisioning waits for a created topic to have a leader on every partition. */
export const provisioningTimeoutMs = 30_000;

function isRetriable(err: unknown): boolean {
  return (err as { retriable?: unknown } | null)?.retriable === true;
}

/**
 * Runs `attempt` until it returns true. A retriable error or false is tried again after
 * `intervalMs`; past the deadline, or on an error that is not retriable, it throws
 * TOPIC_PROVISIONING_FAILED naming `what` and the last reason.
 */
async function untilDone(
  deadline: number,
  intervalMs: number,
  what: string,
  attempt: () => Promise<boolean>,
): Promise<void> {
  for (;;) {
    let reason = 'not done yet';
    try {
      if (await attempt()) return;
    } catch (err) {
      if (!isRetriable(err)) {
        throw new KafkaSdkError(
          'TOPIC_PROVISIONING_FAILED',
          `${what} failed: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
      reason = (err as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new KafkaSdkError(
        'TOPIC_PROVISIONING_FAILED',
        `${what} did not succeed before the deadline: ${reason}`,
        { retriable: true },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Makes each topic exist with at least its partitions: creates missing ones with safe
 * defaults and waits until every partition has a leader (retrying what Kafka calls
 * retriable for up to `timeoutMs`, default 30 s), adds partitions where fewer exist (with a
 * warning: keys move), and refuses to shrink (Kafka cannot remove partitions). Returns
 * what it did.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  options: { logger?: Logger; timeoutMs?: number; retryIntervalMs?: number } = {},
): Promise<EnsureTopicsReport> {
  validateSpecs(specs);
  const logger = options.logger ?? silentLogger;
  const { brokers } = await admin.describeCluster();
  const existing = new Set(await admin.listTopics());
  const deadline = Date.now() + (options.timeoutMs ?? provisioningTimeoutMs);
  const intervalMs = options.retryIntervalMs ?? 200;
  const created: string[] = [];
  const increased: { topic: string; from: number; to: number }[] = [];
  const unchanged: string[] = [];

  const present = specs.filter((s) => existing.has(s.topic));
  if (present.length > 0) {
    const meta = await admin.fetchTopicMetadata({ topics: present.map((s) => s.topic) });
    for (const spec of present) {
      const count = meta.topics.find((t) => t.name === spec.topic)?.partitions.length ?? 0;
      if (count > spec.partitions) {
        throw new KafkaSdkError(
          'TOPIC_PARTITIONS_SHRINK',
          `Topic "${spec.topic}" has ${count} partitions and the spec asks for ${spec.partitions}: ` +
            'Kafka cannot remove partitions. Ask for at least the current count, or create a new topic.',
        );
      }
      if (count < spec.partitions) {
        logger.warn(
          `Adding partitions to "${spec.topic}" (${count} -> ${spec.partitions}): records with the same key ` +
            'will go to a different partition from now on, so per-key order across the change is lost.',
          { topic: spec.topic, from: count, to: spec.partitions },
        );
        await admin.createPartitions({
          topicPartitions: [{ topic: spec.topic, count: spec.partitions }],
        });
        increased.push({ topic: spec.topic, from: count, to: spec.partitions });
      } else {
        unchanged.push(spec.topic);
      }
    }
  }

  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    const topics = missing.map((spec) => {
      const { replicationFactor, configs } = resolveTopicDefaults(spec, brokers.length);
      return {
        topic: spec.topic,
        numPartitions: spec.partitions,
        replicationFactor,
        configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
      };
    });
    const names = missing.map((s) => `"${s.topic}"`).join(', ');
    // kafkajs's own waitForLeaders reads metadata once and fails on a broker that has not
    // heard of the new topic yet (NOT_LEADER / UNKNOWN_TOPIC, both retriable): so create
    // without it, then wait for a leader on every partition here, retrying what Kafka calls
    // retriable until the deadline.
    await untilDone(deadline, intervalMs, `Creating ${names}`, async () => {
      // Resolves false for topics that exist already (another instance created them).
      await admin.createTopics({ waitForLeaders: false, topics });
      return true;
    });
    for (const spec of missing) {
      created.push(spec.topic);
      logger.info(`Created topic "${spec.topic}"`, {
        topic: spec.topic,
        partitions: spec.partitions,
      });
    }
  }
  // New partitions, of a new topic or added to one, are usable once every one has a leader
  // in the metadata that clients read; until then a producer would still see the old count
  // and send keys to the partitions they had before.
  const grown = specs.filter(
    (s) => created.includes(s.topic) || increased.some((i) => i.topic === s.topic),
  );
  if (grown.length > 0) {
    const names = grown.map((s) => `"${s.topic}"`).join(', ');
    await untilDone(deadline, intervalMs, `Waiting for leaders of ${names}`, async () => {
      const meta = await admin.fetchTopicMetadata({ topics: grown.map((s) => s.topic) });
      return grown.every((spec) => {
        const partitions = meta.topics.find((t) => t.name === spec.topic)?.partitions ?? [];
        return (
          partitions.length >= spec.partitions &&
          partitions.every((p) => p.leader >= 0 && (p.partitionErrorCode ?? 0) === 0)
        );
      });
    });
  }
  return { created, increased, unchanged };
}
