// The workload of the producer's fault tests: 30,000 unique keyed records, half as
// concurrent single sends and half through sendBatch, spread over a while so that a fault
// lands mid-send; then the truth read back from the topic and from the log files.
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaSdkError, jsonLogger } from '@org/kafka-core';
import { createProducer, type ProducerMessage } from '@org/kafka-producer';
import { waitFor, type StartedKafkaCluster } from '@org/kafka-testkit';
import { testClient } from '../kafka-clients.js';

export interface WorkloadOptions {
  readonly cluster: StartedKafkaCluster;
  readonly topic: string;
  /** Over how long the records are handed to the producer. */
  readonly spreadMs: number;
  /** Started this long after the first send; the workload waits for it. */
  readonly faultAfterMs: number;
  readonly fault: () => Promise<void>;
  readonly records?: number;
}

/** What a run found; every figure comes from the topic or the log files, not the producer. */
export interface WorkloadReport {
  readonly acknowledged: number;
  readonly rejected: number;
  /** Rejections that were not a KafkaSdkError with a code. */
  readonly untypedRejections: string[];
  readonly rejectionCodes: Record<string, number>;
  readonly inLog: number;
  /** Values present more than once in the topic. */
  readonly duplicates: number;
  /** Acknowledged values missing from the topic. */
  readonly lost: number;
  /** Keys whose per-key counters are not increasing in offset order. */
  readonly outOfOrderKeys: number;
  /** Values found in more than one record batch by DumpLogSegments. */
  readonly inTwoBatches: number;
  readonly batches: number;
  /** producerId/epoch pairs seen in the log. */
  readonly identities: string[];
  readonly warnings: number;
  /** The distinct messages of those warnings, at most 10. */
  readonly warningMessages: string[];
}

const keys = 600;
const chunk = 200;

/** Runs the workload with the producer's defaults and checks the topic against it. */
export async function produceThroughFault(options: WorkloadOptions): Promise<WorkloadReport> {
  const { cluster, topic } = options;
  const total = options.records ?? 30_000;
  const warnings: string[] = [];
  const producer = createProducer({
    brokers: cluster.bootstrapServers,
    clientId: `fault-${topic}`,
    logger: jsonLogger('warn', (line) => warnings.push(line)),
  });
  await producer.connect();
  const acknowledged = new Set<string>();
  const rejections: unknown[] = [];
  const pending: Promise<void>[] = [];
  const counters = new Array<number>(keys).fill(0);
  const track = (send: Promise<unknown>, values: string[]) => {
    pending.push(
      send.then(
        () => values.forEach((v) => acknowledged.add(v)),
        (err: unknown) => {
          rejections.push(err);
        },
      ),
    );
  };
  const fault = sleep(options.faultAfterMs).then(options.fault);
  // Awaited below; this keeps an early failure from being reported as unhandled meanwhile.
  fault.catch(() => {});
  const chunks = Math.ceil(total / chunk);
  const tick = options.spreadMs / chunks;
  const started = Date.now();
  for (let c = 0; c < chunks; c++) {
    // The last records go out only once the fault routine has ended (a restarted broker is
    // back), so the fault always lands among the sends, however slow the machine is.
    if (c === chunks - 1) await fault;
    const messages: ProducerMessage[] = [];
    for (let j = 0; j < chunk && c * chunk + j < total; j++) {
      const k = (c * chunk + j) % keys;
      messages.push({ key: `key-${k}`, value: `key-${k}:${counters[k]!++}` });
    }
    const values = messages.map((m) => m.value as string);
    if (c % 2 === 0) {
      messages.forEach((m, i) => track(producer.send({ topic, messages: [m] }), [values[i]!]));
    } else {
      const half = messages.length / 2;
      track(
        producer.sendBatch({
          topicMessages: [
            { topic, messages: messages.slice(0, half) },
            { topic, messages: messages.slice(half) },
          ],
        }),
        values,
      );
    }
    const next = started + (c + 1) * tick;
    await sleep(Math.max(0, next - Date.now()));
  }
  await Promise.all(pending);
  await fault;
  await producer.disconnect();

  const admin = testClient(cluster.bootstrapServers).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const inLog = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  const records = await cluster.consumeN(topic, inLog, { timeoutMs: 180_000 });
  const seen = new Map<string, number>();
  for (const r of records) {
    const v = r.value!.toString();
    seen.set(v, (seen.get(v) ?? 0) + 1);
  }
  const lastCounter = new Map<string, number>();
  const outOfOrder = new Set<string>();
  const ordered = [...records].sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
  );
  for (const r of ordered) {
    const [key, counter] = r.value!.toString().split(':') as [string, string];
    const n = Number(counter);
    if (n <= (lastCounter.get(key) ?? -1)) outOfOrder.add(key);
    lastCounter.set(key, n);
  }
  const batches = await cluster.dumpLogBatches(topic);
  const batchesOfValue = new Map<string, number>();
  for (const b of batches)
    for (const v of b.values) batchesOfValue.set(v, (batchesOfValue.get(v) ?? 0) + 1);
  const rejectionCodes: Record<string, number> = {};
  const untypedRejections: string[] = [];
  for (const err of rejections) {
    if (KafkaSdkError.is(err)) rejectionCodes[err.code] = (rejectionCodes[err.code] ?? 0) + 1;
    else untypedRejections.push(String(err));
  }
  return {
    acknowledged: acknowledged.size,
    rejected: rejections.length,
    untypedRejections,
    rejectionCodes,
    inLog,
    duplicates: [...seen.values()].filter((n) => n > 1).length,
    lost: [...acknowledged].filter((v) => !seen.has(v)).length,
    outOfOrderKeys: outOfOrder.size,
    inTwoBatches: [...batchesOfValue.values()].filter((n) => n > 1).length,
    batches: batches.length,
    identities: [...new Set(batches.map((b) => `${b.producerId}/${b.producerEpoch}`))],
    warnings: warnings.length,
    warningMessages: [
      ...new Set(warnings.map((line) => (JSON.parse(line) as { message: string }).message)),
    ].slice(0, 10),
  };
}

/** The leader of `partition` of `topic`, from the cluster's metadata. */
export async function leaderOf(
  cluster: StartedKafkaCluster,
  topic: string,
  partition: number,
): Promise<number> {
  const admin = testClient(cluster.bootstrapServers).admin();
  await admin.connect();
  try {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    return meta.topics[0]!.partitions.find((p) => p.partitionId === partition)!.leader;
  } finally {
    await admin.disconnect();
  }
}

/** Waits until every partition of `topic` has all its replicas in sync again. */
export async function waitForFullIsr(cluster: StartedKafkaCluster, topic: string): Promise<void> {
  const admin = testClient(cluster.bootstrapServers).admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const meta = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
        const partitions = meta?.topics[0]?.partitions ?? [];
        return partitions.length > 0 && partitions.every((p) => p.isr.length === p.replicas.length);
      },
      { timeoutMs: 120_000, intervalMs: 250, description: `every replica of ${topic} in sync` },
    );
  } finally {
    await admin.disconnect();
  }
}
