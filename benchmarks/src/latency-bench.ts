import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import { silentLogger } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { createProducer } from '@org/kafka-producer';
import { createTopic, runKafkaJavaTool } from '@org/kafka-testkit';
import { medianRound, type LatencyRow, type LatencyTable } from './latency-table.js';
import { onSchedule } from './steady-schedule.js';

const { Kafka, logLevel } = kafkajs;

export interface LatencyBenchOptions {
  readonly brokers: readonly string[];
  /** Steady rates to measure, records per second. */
  readonly rates?: readonly number[];
  readonly seconds?: number;
  /** Rounds per contender and rate; the table shows the round of the median p99. */
  readonly rounds?: number;
  readonly log?: (line: string) => void;
}

const size = 1024;
const keys = 1_000;
/** Seconds of the same steady load before the measured ones, on the same topic and pair. */
const warmupSeconds = 3;
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
  const warmup = rate * warmupSeconds;
  const sentAt = new Float64Array(count + warmup);
  const latencies: number[] = [];
  const sendMs: number[] = [];
  // Each record counts once; a second delivery is counted and said, never timed.
  const handled = new Uint8Array(count + warmup);
  let received = 0;
  let duplicates = 0;
  let lastHandledAt = 0;
  let lastIssuedAt = 0;
  let allReceived!: () => void;
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  await pair.start(topic, `bench-latency-${run}`, (value) => {
    const id = value.readUInt32BE(0);
    const at = performance.now();
    if (handled[id] === 1) {
      duplicates++;
      return;
    }
    handled[id] = 1;
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
    // The same steady load first, unmeasured: the first seconds on a topic just created are
    // the brokers' (its replica fetchers, its first segments), not the clients'.
    await onSchedule(warmup, rate, async (id) => {
      sentAt[id] = performance.now();
      await pair.send(topic, `customer-${id % keys}`, value(id));
    });
    const { late } = await onSchedule(count, rate, async (i) => {
      const id = warmup + i;
      const v = value(id);
      const at = performance.now();
      sentAt[id] = at;
      lastIssuedAt = at;
      await pair.send(topic, `customer-${id % keys}`, v);
      sendMs.push(performance.now() - at);
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
      duplicates > 0 ? `${duplicates} handled twice` : '',
    ].filter(Boolean);
    return { name: pair.name, latenciesMs: latencies, sendMs, note: notes.join('; ') };
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
  const roundCount = options.rounds ?? 3;
  const stamp = Date.now();
  const tables: LatencyTable[] = [];
  options.log?.('latency: Kafka EndToEndLatency (the floor)');
  const floor = await javaFloor(brokers, String(stamp), 2_000);
  for (const rate of rates) {
    const rounds = new Map<string, LatencyRow[]>();
    for (let round = 0; round < roundCount; round++) {
      // Each round swaps who goes first, so neither always meets the cluster as the other left it.
      const order = round % 2 === 0 ? [oursPair, rawPair] : [rawPair, oursPair];
      for (const make of order) {
        const pair = make(brokers);
        options.log?.(`latency: ${pair.name} at ${rate}/s, round ${round + 1} of ${roundCount}`);
        const row = await measurePair(
          pair,
          brokers,
          rate,
          seconds,
          `${stamp}-${rate}-${round}-${pair.name.slice(0, 3)}`,
        );
        rounds.set(pair.name, [...(rounds.get(pair.name) ?? []), row]);
      }
    }
    const rows = [...rounds.values()].map(medianRound);
    rows.push({
      name: 'Kafka EndToEndLatency (Java, reference floor)',
      latenciesMs: [],
      note: floor,
    });
    tables.push({
      title: `End-to-end latency at ${rate.toLocaleString('en-US')} records/s, ${size} B values`,
      setting: `${(rate * seconds).toLocaleString('en-US')} keyed records (${keys.toLocaleString('en-US')} keys) sent on a fixed schedule (${rate}/s for ${seconds} s, each send started when due, not after the previous answer) to a topic of 12 partitions, replication 3, min.insync.replicas 2, no compression, after ${warmupSeconds} s of the same load unmeasured; measured from the start of send() to the handler's entry, both in this process. Each pair runs alone on a topic and group of its own, ${roundCount} rounds each, the order swapped every round; a row shows the round of its median p99. Kafka's EndToEndLatency sends one record at a time on a topic of one partition (acks=all), each after the previous one was consumed: the floor of what the cluster and the Java client take, not a steady load.`,
      rows,
    });
  }
  return tables;
}
