import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import { silentLogger } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { createProducer } from '@org/kafka-producer';
import { createTopic, runKafkaJavaTool } from '@org/kafka-testkit';
import type { LatencyRow, LatencyTable } from './latency-table.js';
import { onSchedule } from './steady-schedule.js';

const { Kafka, logLevel } = kafkajs;

export interface LatencyBenchOptions {
  readonly brokers: readonly string[];
  /** Steady rates to measure, records per second. */
  readonly rates?: readonly number[];
  readonly seconds?: number;
  readonly log?: (line: string) => void;
}

const size = 1024;
const keys = 1_000;
/** How long after the last send a record may still arrive before it counts as missing. */
const graceMs = 30_000;

/** One producer-consumer pair: `send` one record, `onRecord` told of each value handled. */
interface Pair {
  readonly name: string;
  start(topic: string, group: string, onRecord: (value: Buffer) => void): Promise<void>;
  send(topic: string, key: string, value: Buffer): Promise<void>;
  stop(): Promise<void>;
}

function oursPair(brokers: string[]): Pair {
  const producer = createProducer({ brokers, clientId: 'bench-latency', logger: silentLogger });
  let consumer: ReturnType<typeof createConsumer> | undefined;
  return {
    name: 'ours: producer and consumer, defaults',
    async start(topic, groupId, onRecord) {
      await producer.connect();
      consumer = createConsumer({
        brokers,
        clientId: 'bench-latency',
        groupId,
        topics: [topic],
        logger: silentLogger,
        eachMessage: (record) => {
          if (record.value) onRecord(record.value);
          return Promise.resolve();
        },
      });
      const assigned = new Promise((resolve) => consumer!.on('assigned', resolve));
      await consumer.run();
      await assigned;
    },
    async send(topic, key, value) {
      await producer.send({ topic, messages: [{ key, value }] });
    },
    async stop() {
      await consumer?.stop();
      await producer.disconnect();
    },
  };
}

function rawPair(brokers: string[]): Pair {
  const kafka = new Kafka({ brokers, clientId: 'bench-latency-raw', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  let consumer: ReturnType<typeof kafka.consumer> | undefined;
  return {
    name: 'raw kafkajs: idempotent producer (acks=all), eachMessage',
    async start(topic, groupId, onRecord) {
      await producer.connect();
      consumer = kafka.consumer({ groupId });
      const joined = new Promise((resolve) => consumer!.on(consumer!.events.GROUP_JOIN, resolve));
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          if (message.value) onRecord(message.value);
          return Promise.resolve();
        },
      });
      await joined;
    },
    async send(topic, key, value) {
      await producer.send({ topic, acks: -1, messages: [{ key, value }] });
    },
    async stop() {
      await consumer?.disconnect();
      await producer.disconnect();
    },
  };
}

/** Send start to handler entry for every record of a steady run, and what fell behind. */
async function measurePair(
  pair: Pair,
  brokers: string[],
  rate: number,
  seconds: number,
  run: string,
): Promise<LatencyRow> {
  const topic = `bench-latency-${run}`;
  await createTopic(brokers, { topic, partitions: 12 });
  const count = rate * seconds;
  const warmup = 50;
  const sentAt = new Float64Array(count + warmup);
  const latencies: number[] = [];
  let received = 0;
  let lastHandledAt = 0;
  let lastIssuedAt = 0;
  let allReceived!: () => void;
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  await pair.start(topic, `bench-latency-${run}`, (value) => {
    const id = value.readUInt32BE(0);
    const at = performance.now();
    lastHandledAt = at;
    if (id >= warmup) latencies.push(at - sentAt[id]!);
    if (++received === count + warmup) allReceived();
  });
  const value = (id: number) => {
    const v = Buffer.alloc(size, 'x');
    v.writeUInt32BE(id, 0);
    return v;
  };
  try {
    // A few records first, so connections and the first fetches are not in the figures.
    for (let id = 0; id < warmup; id++) {
      sentAt[id] = performance.now();
      await pair.send(topic, `customer-${id % keys}`, value(id));
    }
    const { late } = await onSchedule(count, rate, async (i) => {
      const id = warmup + i;
      const v = value(id);
      sentAt[id] = performance.now();
      lastIssuedAt = sentAt[id];
      await pair.send(topic, `customer-${id % keys}`, v);
    });
    const missing = await Promise.race([
      done.then(() => 0),
      sleep(graceMs).then(() => count + warmup - received),
    ]);
    // Sends issued on time can still queue inside the client: a pair whose last record is
    // handled more than 1 s after the last send was issued did not keep up with the rate.
    const trailMs = lastHandledAt - lastIssuedAt;
    const notes = [
      late > 0 ? `${late} sends issued over 1 s late: fell behind` : '',
      trailMs > 1_000
        ? `fell behind: the last record was handled ${(trailMs / 1000).toFixed(1)} s after the last send was issued`
        : '',
      missing > 0 ? `${missing} not handled ${graceMs / 1000} s after the last send` : '',
    ].filter(Boolean);
    return { name: pair.name, latenciesMs: latencies, note: notes.join('; ') };
  } finally {
    await pair.stop();
  }
}

/**
 * Kafka's own EndToEndLatency: one record at a time, each sent after the previous one came
 * back through its consumer (a ping, not a steady rate), acks=all. It prints only whole
 * milliseconds for p50 and p99, so the row carries its figures as it reports them.
 */
async function javaFloor(brokers: string[], run: string, records: number): Promise<string> {
  const topic = `bench-latency-java-${run}`;
  // The tool needs a topic of one partition; replication as for the others.
  await createTopic(brokers, { topic, partitions: 1 });
  const { stdout } = await runKafkaJavaTool({
    mainClass: 'org.apache.kafka.tools.EndToEndLatency',
    jvmArgs: ['-Xmx512m'],
    args: [brokers.join(','), topic, String(records), 'all', String(size)],
    timeoutMs: 300_000,
  });
  const avg = /Avg latency: ([\d.]+) ms/.exec(stdout)?.[1];
  const pct = /Percentiles: 50th = (\d+), 99th = (\d+), 99\.9th = (\d+)/.exec(stdout);
  if (!avg || !pct) throw new Error(`EndToEndLatency printed no summary:\n${stdout.slice(-500)}`);
  return `${records.toLocaleString('en-US')} records one at a time: avg ${Number(avg).toFixed(1)} ms, p50 ${pct[1]} ms, p99 ${pct[2]} ms, p99.9 ${pct[3]} ms (whole ms, as the tool prints them)`;
}

/**
 * End-to-end latency, send start to handler entry, at steady rates: our producer and
 * consumer, raw kafkajs both ways, and Kafka's EndToEndLatency tool as the floor.
 */
export async function benchLatency(options: LatencyBenchOptions): Promise<LatencyTable[]> {
  const brokers = [...options.brokers];
  const rates = options.rates ?? [100, 1_000];
  const seconds = options.seconds ?? 15;
  const stamp = Date.now();
  const tables: LatencyTable[] = [];
  options.log?.('latency: Kafka EndToEndLatency (the floor)');
  const floor = await javaFloor(brokers, String(stamp), 2_000);
  for (const rate of rates) {
    const rows: LatencyRow[] = [];
    for (const make of [oursPair, rawPair]) {
      const pair = make(brokers);
      options.log?.(`latency: ${pair.name} at ${rate}/s`);
      rows.push(await measurePair(pair, brokers, rate, seconds, `${stamp}-${rate}-${rows.length}`));
    }
    rows.push({
      name: 'Kafka EndToEndLatency (Java, reference floor)',
      latenciesMs: [],
      note: floor,
    });
    tables.push({
      title: `End-to-end latency at ${rate.toLocaleString('en-US')} records/s, ${size} B values`,
      setting: `${(rate * seconds).toLocaleString('en-US')} keyed records (${keys.toLocaleString('en-US')} keys) sent on a fixed schedule (${rate}/s for ${seconds} s, each send started when due, not after the previous answer) to a topic of 12 partitions, replication 3, min.insync.replicas 2, no compression, after 50 warm-up records; measured from the start of send() to the handler's entry, both in this process. Each pair runs alone on a topic and group of its own. Kafka's EndToEndLatency sends one record at a time on a topic of one partition (acks=all), each after the previous one was consumed: the floor of what the cluster and the Java client take, not a steady load.`,
      rows,
    });
  }
  return tables;
}
