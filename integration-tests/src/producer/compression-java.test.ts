import { describe, expect, it } from 'vitest';
import { jsonLogger, type CompressionName } from '@org/kafka-core';
import { createProducer } from '@org/kafka-producer';
import { createTopic, runKafkaJavaTool } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { firstSegment } from '../log-segments.js';

describe.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)(
  '%s compression',
  (codec: CompressionName) => {
    const kafka = sharedKafka();

    it('is written on the wire and read back by the Java console consumer', async () => {
      const topic = `codec-${codec}-${Date.now()}`;
      await createTopic(kafka.bootstrapServers, { topic, partitions: 1 });
      const producer = createProducer({
        brokers: kafka.bootstrapServers,
        clientId: `codec-${codec}`,
        compression: codec,
        logger: jsonLogger('warn'),
      });
      await producer.connect();
      const values = Array.from(
        { length: 300 },
        (_, i) => `{"orderId":"o-${i}","status":"PLACED","note":"${'x'.repeat(i % 50)}"}`,
      );
      await producer.send({
        topic,
        messages: values.map((value, i) => ({ key: `o-${i}`, value })),
      });
      await producer.disconnect();

      const { stdout } = await runKafkaJavaTool({
        mainClass: 'org.apache.kafka.tools.consumer.ConsoleConsumer',
        args: [
          '--bootstrap-server',
          kafka.bootstrapServers.join(','),
          '--topic',
          topic,
          '--from-beginning',
          '--max-messages',
          String(values.length),
          '--timeout-ms',
          '60000',
          '--property',
          'print.key=true',
          '--property',
          'key.separator=|',
        ],
      });
      const lines = stdout.trim().split('\n');
      expect(lines).toEqual(values.map((value, i) => `o-${i}|${value}`));

      // The broker stores the batch as the producer compressed it; its own dump tool says how.
      expect(kafka.logDir, 'the local backend exposes broker files').toBeDefined();
      const segment = await firstSegment(kafka.logDir!, topic);
      const dump = await runKafkaJavaTool({
        mainClass: 'kafka.tools.DumpLogSegments',
        args: ['--files', segment],
      });
      expect(dump.stdout).toMatch(new RegExp(`compresscodec: ${codec}`, 'i'));
    });
  },
);
