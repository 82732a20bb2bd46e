// The race that made kafkajs 2.2.4 write records twice (issue 13): a produce request to
// broker 1 is still in flight when broker 2's request for the same send fails; the retry
// sends broker 1's records again, numbered after the first copy, so the broker cannot tell
// it is a copy. Played out deterministically on fake brokers with Kafka's producer-state
// rules, once through the SDK's produce path and once through kafkajs's own.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { jsonLogger, type KafkaSdkError } from '@org/kafka-core';
import {
  FakeCluster,
  FakeProduceDriver,
  testSenderSettings,
  type FateHook,
  type ReceivedBatch,
} from './produce-driver.fake.js';
import { RecordSender, type RecordOwner } from './record-sender.js';
import type { RecordMetadata } from './types.js';

const require = createRequire(import.meta.url);

const topic = 'orders';
const perPartition = 10;

/**
 * Broker 1 holds its first request; broker 2 refuses its first with NOT_LEADER_OR_FOLLOWER;
 * broker 1 answers only once the retry has reached broker 2 again, so the retry starts
 * while broker 1's request is still in flight.
 */
function raceFates(): FateHook {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  return (brokerId, call) => {
    if (brokerId === 1 && call === 1) return { hold: held };
    if (brokerId === 2 && call === 1) return { refuse: new Map([[1, 6]]) };
    if (brokerId === 2 && call === 2) release();
    return {};
  };
}

function values(partition: number): string[] {
  return Array.from({ length: perPartition }, (_, i) => `p${partition}-r${i}`);
}

/** Each (partition, epoch, sequence) must always carry the same records. */
function renumbered(received: readonly ReceivedBatch[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const b of received) {
    const records = b.values.join(',');
    const key = `${b.partition}/${b.producerEpoch}/${b.baseSequence}`;
    const earlier = seen.get(key);
    if (earlier !== undefined && earlier !== records)
      problems.push(`${key} carried two record sets`);
    seen.set(key, records);
    const numbersOfRecords = `records ${records}`;
    const numbers = seen.get(numbersOfRecords);
    if (numbers !== undefined && numbers !== key)
      problems.push(`${records.slice(0, 12)}... sent as ${numbers} and as ${key}`);
    seen.set(numbersOfRecords, key);
  }
  return problems;
}

async function throughOurPath(cluster: FakeCluster): Promise<void> {
  const sender = new RecordSender(
    new FakeProduceDriver(cluster),
    testSenderSettings,
    jsonLogger('silent'),
  );
  await sender.start();
  const settled: Promise<void>[] = [];
  for (const partition of [0, 1]) {
    settled.push(
      new Promise<void>((resolve, reject) => {
        let left = perPartition;
        const owner: RecordOwner = {
          written: (_index: number, _meta: RecordMetadata) => {
            if (--left === 0) resolve();
          },
          failed: (error: KafkaSdkError) => reject(error),
        };
        values(partition).forEach((value, index) =>
          sender.add(
            topic,
            partition,
            { key: null, value, headers: {}, timestamp: Date.now(), owner, index },
            Date.now() + 60_000,
          ),
        );
      }),
    );
  }
  await Promise.all(settled);
}

interface KafkaJsTopicData {
  topic: string;
  partitions: { partition: number; firstSequence: number; messages: { value: string }[] }[];
}

/** kafkajs 2.2.4's sendMessages and idempotence manager, on a cluster of the same fake brokers. */
async function throughKafkaJsPath(cluster: FakeCluster): Promise<void> {
  const sendMessages = require('kafkajs/src/producer/sendMessages') as (
    deps: object,
  ) => (args: object) => Promise<unknown>;
  const createEosManager = require('kafkajs/src/producer/eosManager') as (deps: object) => {
    initProducerId(): Promise<void>;
  };
  const createRetry = require('kafkajs/src/retry') as (options: object) => unknown;
  const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
    createErrorFromCode: (code: number) => Error;
  };
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const logger = { ...quiet, namespace: () => logger };
  const brokers = new Map<number, object>();
  const broker = (nodeId: number) => {
    let b = brokers.get(nodeId);
    if (!b) {
      b = {
        nodeId,
        initProducerId: () =>
          Promise.resolve({
            producerId: String(cluster.newProducerId().producerId),
            producerEpoch: 0,
          }),
        produce: async (args: {
          producerId: string;
          producerEpoch: number;
          topicData: KafkaJsTopicData[];
        }) => {
          const batches = args.topicData.flatMap((t) =>
            t.partitions.map((p) => ({
              topic: t.topic,
              partition: p.partition,
              producerId: BigInt(args.producerId),
              producerEpoch: args.producerEpoch,
              baseSequence: p.firstSequence,
              values: p.messages.map((m) => m.value),
            })),
          );
          const answers = await cluster.handle(nodeId, batches);
          const failed = answers.find((a) => a.errorCode !== 0);
          if (failed) throw createErrorFromCode(failed.errorCode);
          return {
            topics: [
              {
                topicName: topic,
                partitions: answers.map((a) => ({
                  partition: a.partition,
                  errorCode: 0,
                  baseOffset: String(a.baseOffset),
                })),
              },
            ],
          };
        },
      };
      brokers.set(nodeId, b);
    }
    return b;
  };
  const kafkaJsCluster = {
    retry: { retries: 5, initialRetryTime: 10 },
    isConnected: () => true,
    connect: () => Promise.resolve(),
    refreshMetadata: () => Promise.resolve(),
    refreshMetadataIfNecessary: () => Promise.resolve(),
    addMultipleTargetTopics: () => Promise.resolve(),
    removeBroker: () => {},
    targetTopics: new Set([topic]),
    findTopicPartitionMetadata: () =>
      cluster.partitions().map((p) => ({ ...p, partitionErrorCode: 0 })),
    findLeaderForPartitions: (_topic: string, partitions: string[]) => {
      const result: Record<number, number[]> = {};
      for (const id of partitions) (result[cluster.leaders[Number(id)]!] ??= []).push(Number(id));
      return result;
    },
    findBroker: ({ nodeId }: { nodeId: string }) => Promise.resolve(broker(Number(nodeId))),
    findControllerBroker: () => Promise.resolve(broker(1)),
  };
  const eosManager = createEosManager({ logger, cluster: kafkaJsCluster, transactional: false });
  await eosManager.initProducerId();
  const send = sendMessages({
    logger,
    cluster: kafkaJsCluster,
    partitioner: ({ message }: { message: { partition: number } }) => message.partition,
    eosManager,
    retrier: createRetry({ retries: 5, initialRetryTime: 10 }),
  });
  await send({
    acks: -1,
    timeout: 30_000,
    compression: 0,
    topicMessages: [
      {
        topic,
        messages: [0, 1].flatMap((partition) =>
          values(partition).map((value) => ({ value, partition })),
        ),
      },
    ],
  });
}

describe("a retry while another broker's request is still in flight", () => {
  it('through our produce path: every record is written once and each batch keeps its numbers', async () => {
    const cluster = new FakeCluster(topic, [1, 2], raceFates());
    await throughOurPath(cluster);
    expect(cluster.logs.map((log) => log.duplicates())).toEqual([new Map(), new Map()]);
    expect(cluster.logs.map((log) => log.records.map((r) => r.value))).toEqual([
      values(0),
      values(1),
    ]);
    expect(renumbered(cluster.sent)).toEqual([]);
    // The race did happen: broker 2 saw the partition-1 batch twice, with the same numbers.
    expect(cluster.sent.filter((b) => b.partition === 1)).toHaveLength(2);
  });

  it("through kafkajs 2.2.4's own produce path: the held records are written twice under new numbers, so this test catches the bug", async () => {
    const cluster = new FakeCluster(topic, [1, 2], raceFates());
    await throughKafkaJsPath(cluster);
    expect(cluster.logs[0]!.duplicates().size).toBe(perPartition);
    expect(renumbered(cluster.sent).length).toBeGreaterThan(0);
  });
});
