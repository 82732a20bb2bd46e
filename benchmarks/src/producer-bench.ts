import kafkajs from 'kafkajs';
import { silentLogger } from '@org/kafka-core';
import { createProducer, type SafeProducer } from '@org/kafka-producer';
import { createTopic, runKafkaJavaTool } from '@org/kafka-testkit';
import { benchTable, type BenchTable } from './bench-table.js';
import { alternate, childrenCpuMs, type Contender, type RunResult } from './measure.js';

const { Kafka, Partitioners, logLevel } = kafkajs;

export interface ProducerBenchOptions {
  readonly brokers: readonly string[];
  readonly rounds?: number;
  readonly log?: (line: string) => void;
}

interface Message {
  readonly key: string;
  readonly value: Buffer;
}

type Send = (topic: string, messages: Message[]) => Promise<unknown>;

const partitions = 12;
const pipelinedRecords = 100_000;
const windowMiB = 32;

/**
 * Hands `records` to `send` in groups of `per`, without waiting for each, keeping at most
 * `windowMiB` of values unacknowledged (a producer's buffer.memory); resolves when all are.
 */
async function pipelined(
  records: readonly Message[],
  per: number,
  send: (batch: Message[]) => Promise<unknown>,
): Promise<RunResult> {
  const limit = windowMiB * 1024 * 1024;
  let outstanding = 0;
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const inFlight = new Set<Promise<unknown>>();
  let bytes = 0;
  for (let i = 0; i < records.length; i += per) {
    const batch = records.slice(i, i + per);
    const size = batch.reduce((sum, m) => sum + m.key.length + m.value.length, 0);
    bytes += size;
    while (outstanding + size > limit && outstanding > 0) {
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (failure !== undefined) throw failure;
    outstanding += size;
    const p: Promise<unknown> = send(batch).then(
      () => {
        outstanding -= size;
        inFlight.delete(p);
        wake?.();
      },
      (err: unknown) => {
        failure = err instanceof Error ? err : new Error(String(err));
        outstanding -= size;
        inFlight.delete(p);
        wake?.();
      },
    );
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return { records: records.length, bytes };
}

/**
 * Producer throughput on the real cluster, keyed records on 12 partitions: ours with its
 * defaults, raw kafkajs with the same settings (acks=all, idempotent), raw kafkajs with
 * acks=1 (what many run), and Kafka's own Java ProducerPerformance (unkeyed: the tool has no
 * keys) as the reference for what the cluster takes. Two usage patterns: batches of 100 per
 * send, awaited one after another; and many concurrent single-record sends (a service
 * publishing per request).
 */
export async function benchProducers(options: ProducerBenchOptions): Promise<BenchTable[]> {
  const rounds = options.rounds ?? 5;
  const brokers = [...options.brokers];
  const kafka = new Kafka({ brokers, clientId: 'bench-raw', logLevel: logLevel.NOTHING });
  const rawSame = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const rawAcks1 = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const ours: SafeProducer = createProducer({
    brokers,
    clientId: 'bench-ours',
    logger: silentLogger,
  });
  await Promise.all([rawSame.connect(), rawAcks1.connect(), ours.connect()]);
  const senders: [string, Send][] = [
    ['ours (defaults: acks=all, idempotent)', (topic, messages) => ours.send({ topic, messages })],
    [
      'raw kafkajs, acks=all, idempotent',
      (topic, messages) => rawSame.send({ topic, acks: -1, messages }),
    ],
    ['raw kafkajs, acks=1', (topic, messages) => rawAcks1.send({ topic, acks: 1, messages })],
  ];
  const tables: BenchTable[] = [];
  try {
    for (const size of [256, 1024]) {
      const topic = `bench-producer-${size}-${Date.now()}`;
      await createTopic(brokers, { topic, partitions });
      const value = Buffer.alloc(size, 'x');
      const messages = (n: number): Message[] =>
        Array.from({ length: n }, (_, i) => ({ key: `customer-${i % 10_000}`, value }));
      const bytesOf = (ms: readonly Message[]) =>
        ms.reduce((sum, m) => sum + m.key.length + m.value.length, 0);

      const batched = messages(20_000);
      options.log?.(`producer: ${size} B values, batches of 100`);
      // The Java tool runs in the same alternation: five times the records, as a JVM needs a
      // few seconds of work before its JIT has warmed up.
      const javaRecords = batched.length * 5;
      const batchedSamples = await alternate(
        [
          ...senders.map(([name, send]): Contender => ({
            name,
            run: async () => {
              for (let i = 0; i < batched.length; i += 100) {
                await send(topic, batched.slice(i, i + 100));
              }
              return { records: batched.length, bytes: bytesOf(batched) };
            },
          })),
          {
            name: 'Java ProducerPerformance (unkeyed, reference)',
            run: () => javaRun(brokers, topic, size, javaRecords),
          },
        ],
        { warmup: 2, rounds, settleMs: 1_000 },
      );
      tables.push(
        benchTable(
          `Producer, ${size} B values, batches of 100 per send`,
          `${batched.length.toLocaleString('en-US')} keyed records per round (10,000 keys) to a topic of ${partitions} partitions, replication 3, min.insync.replicas 2, no compression; each send awaited before the next; alternating rounds in a balanced order (each contender right after each other equally often) after two warm-up rounds (the brokers' JIT warms up too), 1 s of quiet after each run. The Java tool sends ${javaRecords.toLocaleString('en-US')} unkeyed records per round (its JIT needs the time), pipelines its own batches (linger.ms 5, batch.size 16 KiB, acks=all, idempotent) and reports its own rate; its CPU is its whole JVM's (start and JIT included), read from /proc.`,
          'raw kafkajs, acks=all, idempotent',
          batchedSamples,
        ),
      );

      const piped = messages(pipelinedRecords);
      options.log?.(`producer: ${size} B values, pipelined`);
      tables.push(
        benchTable(
          `Producer, ${size} B values, pipelined (sends not awaited one by one)`,
          `${piped.length.toLocaleString('en-US')} keyed records per round (10,000 keys), handed over as fast as the client takes them with at most ${windowMiB} MiB of values unacknowledged (the Java client's buffer.memory), as ProducerPerformance does; same topic settings; alternating rounds in a balanced order after two warm-up rounds, 1 s of quiet after each run. "single sends" calls send() once per record; "batches of 100" calls it once per 100. Raw kafkajs with idempotence allows one request in flight per broker and queues the rest. The Java tool sends the same number of unkeyed records (linger.ms 5, batch.size 16 KiB, acks=all, idempotent), reports its own rate, and its CPU is its whole JVM's (start and JIT included), read from /proc.`,
          'raw kafkajs, acks=all, idempotent, batches of 100',
          await alternate(
            [
              {
                name: 'ours (defaults), single sends',
                run: () => pipelined(piped, 1, (batch) => ours.send({ topic, messages: batch })),
              },
              {
                name: 'ours (defaults), batches of 100',
                run: () => pipelined(piped, 100, (batch) => ours.send({ topic, messages: batch })),
              },
              ...senders.slice(1).map(([name, send]): Contender => ({
                name: `${name}, batches of 100`,
                run: () => pipelined(piped, 100, (batch) => send(topic, batch)),
              })),
              {
                name: 'Java ProducerPerformance (unkeyed, reference)',
                run: () => javaRun(brokers, topic, size, piped.length),
              },
            ],
            { warmup: 2, rounds, settleMs: 1_000 },
          ),
        ),
      );

      const singles = messages(2_000);
      options.log?.(`producer: ${size} B values, concurrent single sends`);
      tables.push(
        benchTable(
          `Producer, ${size} B values, ${singles.length.toLocaleString('en-US')} concurrent single-record sends`,
          `${singles.length.toLocaleString('en-US')} sends of one keyed record each, all started at once and awaited together (a service publishing per request); same topic settings; alternating rounds in a balanced order (each contender right after each other equally often) after two warm-up rounds (the brokers' JIT warms up too), 1 s of quiet after each run. Our producer gathers concurrent sends into batches (lingerMs 5); raw kafkajs sends one request per call.`,
          'raw kafkajs, acks=all, idempotent',
          await alternate(
            senders.map(([name, send]): Contender => ({
              name,
              run: async () => {
                await Promise.all(singles.map((m) => send(topic, [m])));
                return { records: singles.length, bytes: bytesOf(singles) };
              },
            })),
            { warmup: 2, rounds, settleMs: 1_000 },
          ),
        ),
      );
    }
  } finally {
    await Promise.all([rawSame.disconnect(), rawAcks1.disconnect(), ours.disconnect()]);
  }
  return tables;
}

/** One run of Kafka's ProducerPerformance; the rate is the one it reports (JVM start left out). */
async function javaRun(
  brokers: readonly string[],
  topic: string,
  size: number,
  records: number,
): Promise<RunResult> {
  const cpuBefore = childrenCpuMs();
  const { stdout } = await runKafkaJavaTool({
    mainClass: 'org.apache.kafka.tools.ProducerPerformance',
    // Full JIT and a real heap: this is the reference, not a helper.
    jvmArgs: ['-Xmx512m'],
    args: [
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--record-size',
      String(size),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${brokers.join(',')}`,
      'acks=all',
      'enable.idempotence=true',
    ],
    timeoutMs: 300_000,
  });
  // "100000 records sent, 41666.7 records/sec (10.17 MB/sec), ..." is the last summary line.
  const match = /(\d+) records sent, ([\d.]+) records\/sec/.exec(
    stdout.trim().split('\n').at(-1) ?? '',
  );
  if (match === null)
    throw new Error(`ProducerPerformance printed no summary:\n${stdout.slice(-500)}`);
  const rate = Number(match[2]);
  const cpuAfter = childrenCpuMs();
  return {
    records,
    bytes: records * size,
    // The JVM's whole CPU (start and JIT included) over the records it sent.
    window: {
      wallMs: (records / rate) * 1000,
      cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    },
  };
}
