import { fixKafkaJsRequestQueue } from '@org/kafka-core';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KafkaTestkitError } from './errors.js';
import type { TopicSpec } from './cluster-types.js';
import { waitFor } from './wait-for.js';

/** A kafkajs client for the testkit's own checks; silent, because failures are reported by us. */
export function testkitKafka(
  bootstrapServers: readonly string[],
  clientId = 'kafka-testkit',
): Kafka {
  fixKafkaJsRequestQueue();
  return new Kafka({
    brokers: [...bootstrapServers],
    clientId,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: 15_000,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 3_000 },
  });
}

/** The ids of the brokers that are registered and unfenced right now. */
export async function liveBrokerIds(admin: Admin): Promise<number[]> {
  const { brokers } = await admin.describeCluster();
  return brokers.map((b) => b.nodeId).sort((a, b) => a - b);
}

/**
 * Creates a topic and waits until every partition has a leader, as seen by the metadata.
 * Idempotent: an existing topic with the same name is accepted.
 */
export async function createTopicWith(
  admin: Admin,
  spec: TopicSpec,
  defaultReplication: number,
): Promise<void> {
  if (!spec.topic || typeof spec.topic !== 'string') {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      'createTopic: topic must be a non-empty string',
    );
  }
  const partitions = spec.partitions ?? 1;
  const replicationFactor = spec.replicationFactor ?? defaultReplication;
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `createTopic(${spec.topic}): partitions must be a positive integer, got ${partitions}`,
    );
  }
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `createTopic(${spec.topic}): replicationFactor must be a positive integer, got ${replicationFactor}`,
    );
  }
  // kafkajs's own waitForLeaders gives up when a broker answers UNKNOWN_TOPIC_OR_PARTITION,
  // which a broker whose metadata is a moment behind does right after creation.
  await admin.createTopics({
    waitForLeaders: false,
    topics: [
      {
        topic: spec.topic,
        numPartitions: partitions,
        replicationFactor,
        configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
      },
    ],
  });
  await waitFor(
    async () => {
      const meta = await admin.fetchTopicMetadata({ topics: [spec.topic] });
      const found = meta.topics[0]?.partitions ?? [];
      return found.length >= partitions && found.every((p) => p.leader >= 0);
    },
    {
      timeoutMs: 60_000,
      intervalMs: 200,
      description: `leaders for every partition of ${spec.topic}`,
    },
  );
}

/** Creates a topic on any cluster, for tests that only have its bootstrap servers. */
export async function createTopic(
  bootstrapServers: readonly string[],
  spec: TopicSpec,
): Promise<void> {
  const admin = testkitKafka(bootstrapServers).admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    await createTopicWith(admin, spec, Math.min(3, brokers.length));
  } finally {
    await admin.disconnect();
  }
}

/**
 * The readiness check: a topic replicated `replication` times is created and written with
 * acks=all by an idempotent producer, then deleted; and the group coordinator answers. The
 * first group request creates `__consumer_offsets` (replicated, 10 partitions), which on a
 * busy machine takes a while: paid here, not by the first test that runs a consumer group
 * (a CI run saw its two earliest consumer-group tests in trouble, the later ones fine).
 */
export async function probeReplicatedWrite(
  kafka: Kafka,
  admin: Admin,
  replication: number,
): Promise<void> {
  const topic = `__kafka_testkit_ready_${process.pid}_${Date.now()}`;
  await createTopicWith(admin, { topic, partitions: 1 }, replication);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'ready', value: 'ready' }] });
  } finally {
    await producer.disconnect().catch(() => {});
  }
  // The coordinator answers NOT_COORDINATOR until its `__consumer_offsets` partition is
  // loaded, which on a busy machine outlasts kafkajs's own retries (seen with containers).
  await waitFor(
    async () => {
      await admin.fetchOffsets({
        groupId: `__kafka_testkit_ready_${process.pid}`,
        topics: [topic],
      });
      return true;
    },
    { timeoutMs: 120_000, intervalMs: 500, description: 'the group coordinator to answer' },
  );
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
}
