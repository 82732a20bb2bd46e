import { createRequire } from 'node:module';
import { javaPartitionForKey, toPositive } from '@org/kafka-producer';
import { benchTable, type BenchTable } from './bench-table.js';
import { alternate } from './measure.js';

// kafkajs's murmur2 is not part of its public API; the benchmark reaches for it on purpose.
const kafkajsMurmur2 = createRequire(import.meta.url)(
  'kafkajs/src/producer/partitioners/default/murmur2',
) as (key: string | Buffer) => number;

/** Cost per key of choosing a partition: our murmur2 against kafkajs's, same keys, in process. */
export async function benchPartitioners(
  options: { rounds?: number; keys?: number } = {},
): Promise<BenchTable[]> {
  const count = options.keys ?? 200_000;
  const keys = Array.from(
    { length: count },
    (_, i) => `customer-${i}-${(i * 2654435761) % 1_000_003}`,
  );
  const partitions = 12;
  const bytes = keys.reduce((sum, k) => sum + k.length, 0);
  let sink = 0;
  const samples = await alternate(
    [
      {
        name: 'kafkajs murmur2',
        run: () => {
          for (const key of keys) sink ^= toPositive(kafkajsMurmur2(key)) % partitions;
          return { records: count, bytes };
        },
      },
      {
        name: 'ours (javaPartitionForKey)',
        run: () => {
          for (const key of keys) sink ^= javaPartitionForKey(key, partitions);
          return { records: count, bytes };
        },
      },
    ],
    { warmup: 1, rounds: options.rounds ?? 5 },
  );
  // Both must agree on every key, or the comparison means nothing.
  for (const key of keys.slice(0, 10_000)) {
    if (toPositive(kafkajsMurmur2(key)) % partitions !== javaPartitionForKey(key, partitions)) {
      throw new Error(`partitioners disagree on key ${key}`);
    }
  }
  void sink;
  return [
    benchTable(
      'Partitioner: murmur2 per key',
      `${count.toLocaleString('en-US')} distinct string keys per round, 12 partitions, in process, alternating rounds after one warm-up; records/s here is keys/s. Both give the same partition for every key (checked on 10,000).`,
      'kafkajs murmur2',
      samples,
    ),
  ];
}
