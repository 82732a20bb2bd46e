import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ensureTopics, resolveTopicDefaults } from './ensure-topics.js';
import { KafkaSdkError } from './errors.js';

describe('resolveTopicDefaults', () => {
  it('replicates 3 times with min.insync.replicas=2 on a 3+ broker cluster', () => {
    expect(resolveTopicDefaults({ topic: 't', partitions: 6 }, 5)).toEqual({
      replicationFactor: 3,
      configs: { 'min.insync.replicas': '2' },
    });
  });

  it('replicates as many times as there are brokers on a small cluster, without min.insync.replicas', () => {
    expect(resolveTopicDefaults({ topic: 't', partitions: 1 }, 1)).toEqual({
      replicationFactor: 1,
      configs: {},
    });
    expect(resolveTopicDefaults({ topic: 't', partitions: 1 }, 2)).toEqual({
      replicationFactor: 2,
      configs: {},
    });
  });

  it('keeps explicit settings', () => {
    expect(
      resolveTopicDefaults(
        {
          topic: 't',
          partitions: 1,
          replicationFactor: 3,
          configs: { 'min.insync.replicas': '3', 'retention.ms': '1' },
        },
        3,
      ),
    ).toEqual({
      replicationFactor: 3,
      configs: { 'min.insync.replicas': '3', 'retention.ms': '1' },
    });
  });
});

/** A kafkajs admin stand-in for provisioning: scripted answers, calls recorded. */
function fakeAdmin(script: {
  existing?: string[];
  create?: (() => Promise<boolean>)[];
  metadata?: (() => Promise<{
    topics: { name: string; partitions: { leader: number; partitionErrorCode?: number }[] }[];
  }>)[];
}) {
  const calls: string[] = [];
  const create = [...(script.create ?? [])];
  const metadata = [...(script.metadata ?? [])];
  const admin = {
    describeCluster: () => Promise.resolve({ brokers: [{}, {}, {}] }),
    listTopics: () => Promise.resolve(script.existing ?? []),
    createPartitions: (args: { topicPartitions: { topic: string; count: number }[] }) => {
      calls.push(
        `add partitions ${args.topicPartitions.map((t) => `${t.topic}=${t.count}`).join()}`,
      );
      return Promise.resolve(true);
    },
    createTopics: (args: { waitForLeaders: boolean }) => {
      calls.push(`create waitForLeaders=${args.waitForLeaders}`);
      return (create.shift() ?? (() => Promise.resolve(true)))();
    },
    fetchTopicMetadata: () => {
      calls.push('metadata');
      const next = metadata.shift();
      if (!next) throw new Error('no more scripted metadata');
      return next();
    },
  };
  return { admin: admin as unknown as Admin, calls };
}

const retriable = (message: string) => Object.assign(new Error(message), { retriable: true });
const leaders =
  (...l: number[]) =>
  () =>
    Promise.resolve({
      topics: [{ name: 'orders.dlq', partitions: l.map((leader) => ({ leader })) }],
    });

describe('ensureTopics provisioning', () => {
  const spec = [{ topic: 'orders.dlq', partitions: 2 }];

  it('creates without kafkajs waitForLeaders, then waits for a leader on every partition, retrying what is retriable', async () => {
    const { admin, calls } = fakeAdmin({
      create: [() => Promise.reject(retriable('NOT_CONTROLLER')), () => Promise.resolve(true)],
      metadata: [
        () => Promise.reject(retriable('This server does not host this topic-partition')),
        leaders(1, -1),
        leaders(1, 2),
      ],
    });
    const report = await ensureTopics(admin, spec, { retryIntervalMs: 1, timeoutMs: 60_000 });
    expect(report.created).toEqual(['orders.dlq']);
    expect(calls).toEqual([
      'create waitForLeaders=false',
      'create waitForLeaders=false',
      'metadata',
      'metadata',
      'metadata',
    ]);
  });

  it('takes a topic another instance created meanwhile (createTopics resolves false)', async () => {
    const { admin } = fakeAdmin({
      create: [() => Promise.resolve(false)],
      metadata: [leaders(0, 1)],
    });
    await expect(ensureTopics(admin, spec, { retryIntervalMs: 1 })).resolves.toMatchObject({
      created: ['orders.dlq'],
    });
  });

  it('fails at once on an error that is not retriable, naming the topics', async () => {
    const { admin } = fakeAdmin({
      create: [() => Promise.reject(new Error('Topic authorization failed'))],
    });
    const err = await ensureTopics(admin, spec, { retryIntervalMs: 1 }).catch((e: unknown) => e);
    expect(KafkaSdkError.is(err) && err.code).toBe('TOPIC_PROVISIONING_FAILED');
    expect((err as Error).message).toBe('Creating "orders.dlq" failed: Topic authorization failed');
  });

  it('waits for partitions it added to have leaders before it returns', async () => {
    const { admin, calls } = fakeAdmin({
      existing: ['orders.dlq'],
      // The count read first; then the metadata of a broker that has not heard of the new
      // partition yet, then of one whose new partition has no leader yet, then settled.
      metadata: [leaders(1), leaders(1), leaders(1, -1), leaders(1, 2)],
    });
    const report = await ensureTopics(admin, spec, { retryIntervalMs: 1, timeoutMs: 60_000 });
    expect(report.increased).toEqual([{ topic: 'orders.dlq', from: 1, to: 2 }]);
    expect(calls).toEqual([
      'metadata',
      'add partitions orders.dlq=2',
      'metadata',
      'metadata',
      'metadata',
    ]);
  });

  it('gives up at the deadline with a retriable error that says what it waited for', async () => {
    const { admin } = fakeAdmin({ metadata: [leaders(-1, -1)] });
    const err = await ensureTopics(admin, spec, { retryIntervalMs: 1, timeoutMs: 0 }).catch(
      (e: unknown) => e,
    );
    expect(KafkaSdkError.is(err) && err.code).toBe('TOPIC_PROVISIONING_FAILED');
    expect(KafkaSdkError.is(err) && err.retriable).toBe(true);
    expect((err as Error).message).toContain('Waiting for leaders of "orders.dlq"');
  });
});
