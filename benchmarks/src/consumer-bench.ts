import kafkajs from 'kafkajs';
import { silentLogger } from '@org/kafka-core';
import { createConsumer } from '@org/kafka-consumer';
import { createProducer } from '@org/kafka-producer';
import { createTopic } from '@org/kafka-testkit';
import { benchTable, type BenchTable } from './bench-table.js';
import { alternate, openWindow, type Contender, type RunResult } from './measure.js';

const { Kafka, logLevel } = kafkajs;

export interface ConsumerBenchOptions {
  readonly brokers: readonly string[];
  readonly records?: number;
  readonly rounds?: number;
  readonly log?: (line: string) => void;
}

/**
 * Consumer throughput on one pre-filled topic: ours (lag monitoring and the retry policy
 * on, no failures) against raw kafkajs `eachBatch` and `eachMessage`. Each round is a new
 * group reading from the beginning; the window runs from its first record to its last, so
 * the group join is left out.
 */
export async function benchConsumers(options: ConsumerBenchOptions): Promise<BenchTable[]> {
  const brokers = [...options.brokers];
  const total = options.records ?? 100_000;
  const rounds = options.rounds ?? 5;
  const size = 256;
  const topic = `bench-consumer-${Date.now()}`;
  await createTopic(brokers, { topic, partitions: 12 });
  options.log?.(`consumer: filling ${topic} with ${total.toLocaleString('en-US')} records`);
  const producer = createProducer({ brokers, clientId: 'bench-fill', logger: silentLogger });
  await producer.connect();
  const value = Buffer.alloc(size, 'x');
  for (let i = 0; i < total; i += 1_000) {
    await producer.send({
      topic,
      messages: Array.from({ length: Math.min(1_000, total - i) }, (_, k) => ({
        key: `customer-${(i + k) % 10_000}`,
        value,
      })),
    });
  }
  await producer.disconnect();
  const bytes = total * (size + 'customer-0000'.length);
  let round = 0;
  const group = (who: string) => `bench-${who}-${topic}-${round++}`;

  /** Counts records until `total`, measuring from the first to the last. */
  const counter = () => {
    let seen = 0;
    let window: ReturnType<typeof openWindow> | undefined;
    let resolveDone!: (w: { wallMs: number; cpuMs: number }) => void;
    const done = new Promise<{ wallMs: number; cpuMs: number }>(
      (resolve) => (resolveDone = resolve),
    );
    return {
      done,
      count(n = 1) {
        window ??= openWindow();
        seen += n;
        if (seen === total) resolveDone(window.close());
      },
    };
  };

  const ours: Contender = {
    name: 'ours (lag monitor and retry policy on)',
    run: async (): Promise<RunResult> => {
      const c = counter();
      const consumer = createConsumer({
        brokers,
        clientId: 'bench-ours',
        groupId: group('ours'),
        topics: [topic],
        logger: silentLogger,
        eachMessage: () => {
          c.count();
          return Promise.resolve();
        },
      });
      await consumer.run();
      const window = await c.done;
      await consumer.stop();
      return { records: total, bytes, window };
    },
  };
  const raw = (mode: 'eachBatch' | 'eachMessage'): Contender => ({
    name: `raw kafkajs ${mode}`,
    run: async (): Promise<RunResult> => {
      const c = counter();
      const kafka = new Kafka({ brokers, clientId: `bench-${mode}`, logLevel: logLevel.NOTHING });
      const consumer = kafka.consumer({ groupId: group(mode) });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run(
        mode === 'eachBatch'
          ? {
              eachBatch: async (payload) => {
                for (const message of payload.batch.messages) {
                  c.count();
                  payload.resolveOffset(message.offset);
                }
                await payload.heartbeat();
              },
            }
          : {
              eachMessage: () => {
                c.count();
                return Promise.resolve();
              },
            },
      );
      const window = await c.done;
      await consumer.disconnect();
      return { records: total, bytes, window };
    },
  });

  options.log?.('consumer: rounds');
  const samples = await alternate([raw('eachBatch'), raw('eachMessage'), ours], {
    warmup: 1,
    rounds,
  });
  return [
    benchTable(
      `Consumer, ${size} B values`,
      `${total.toLocaleString('en-US')} keyed records on 12 partitions, read from the beginning by a new group each round, measured from the first record to the last (the join is left out); handlers do nothing but count; offsets committed as each client does by default; alternating rounds in a balanced order (each contender right after each other equally often) after one warm-up, 1 s of quiet after each run.`,
      'raw kafkajs eachBatch',
      samples,
    ),
  ];
}
