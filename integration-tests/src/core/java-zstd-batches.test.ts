import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { registerCompressionCodecs, type ZstdImplementation } from '@org/kafka-core';
import { createTopic, runKafkaJavaTool } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { testClient } from '../kafka-clients.js';
import { firstSegment } from '../log-segments.js';

// zstd has two implementations (node:zlib where Node has it, WebAssembly otherwise); each must
// read what the Java client writes: a streamed frame without its content size.
describe('zstd batches written by the Java client', () => {
  const kafka = sharedKafka();
  const topic = `java-zstd-${randomUUID()}`;
  const values = Array.from(
    { length: 2_000 },
    (_, i) => `{"orderId":"o-${i}","status":"PLACED","lines":"${'sku-'.repeat(i % 40)}"}`,
  );

  async function readAll(implementation: ZstdImplementation): Promise<string[]> {
    registerCompressionCodecs({ zstd: implementation });
    const consumer = testClient(kafka.bootstrapServers).consumer({
      groupId: `java-zstd-${implementation}-${randomUUID()}`,
    });
    const seen: string[] = [];
    let resolveAll!: () => void;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          seen.push(`${message.key?.toString()}|${message.value?.toString()}`);
          if (seen.length === values.length) resolveAll();
          return Promise.resolve();
        },
      });
      await all;
    } finally {
      await consumer.disconnect();
    }
    return seen;
  }

  it('are written by ConsoleProducer with compression.type=zstd in batches', async () => {
    await createTopic(kafka.bootstrapServers, { topic, partitions: 1 });
    await runKafkaJavaTool({
      mainClass: 'org.apache.kafka.tools.ConsoleProducer',
      args: [
        '--bootstrap-server',
        kafka.bootstrapServers.join(','),
        '--topic',
        topic,
        '--compression-codec',
        'zstd',
        '--property',
        'parse.key=true',
        '--property',
        'key.separator=|',
        '--producer-property',
        'linger.ms=50',
      ],
      input: values.map((v, i) => `o-${i}|${v}\n`).join(''),
    });
    // Kafka's own dump tool says how the broker stored them: zstd, many records a batch.
    expect(kafka.logDir, 'the local backend exposes broker files').toBeDefined();
    const dump = await runKafkaJavaTool({
      mainClass: 'kafka.tools.DumpLogSegments',
      args: ['--files', await firstSegment(kafka.logDir!, topic)],
    });
    const batches = dump.stdout.split('\n').filter((line) => line.startsWith('baseOffset:'));
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((b) => /compresscodec: zstd/i.test(b))).toBe(true);
    const records = batches.map((b) => Number(/count: (\d+)/.exec(b)?.[1]));
    expect(records.reduce((a, b) => a + b, 0)).toBe(values.length);
    expect(Math.max(...records)).toBeGreaterThan(100);
  });

  it.each(['zlib', 'wasm'] as const)('are read back, every record, through %s', async (impl) => {
    const seen = await readAll(impl);
    expect(seen).toEqual(values.map((v, i) => `o-${i}|${v}`));
  });
});
