import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { createProducer } from '@org/kafka-producer';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';

// The reader runs in a process of its own: there kafkajs has no lz4 codec (our producer
// registers one in this process's kafkajs), as in a user's script that only reads.
const reader = `
import { consumeN } from '@org/kafka-testkit';
const [brokers, topic] = process.argv.slice(1);
try {
  await consumeN(brokers.split(','), topic, 1, { timeoutMs: 60000 });
  console.log(JSON.stringify({ ok: true }));
} catch (e) {
  console.log(JSON.stringify({ code: e.code, message: e.message }));
}`;

describe('consumeN when kafkajs cannot read the records', () => {
  const kafka = sharedKafka();

  it('fails at once with the cause (a missing codec), not as a timeout with 0 records', async () => {
    const topic = `lz4-unreadable-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 1 });
    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'consume-failure',
      compression: 'lz4',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'v'.repeat(100) }] });
    await producer.disconnect();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', reader, kafka.bootstrapServers.join(','), topic],
      { cwd: new URL('../..', import.meta.url).pathname, timeout: 90_000 },
    );
    const outcome = JSON.parse(stdout.trim()) as { code?: string; message?: string };
    expect(outcome.code).toBe('TESTKIT_CONSUME_FAILED');
    expect(outcome.message).toBe(
      `consumeN: reading "${topic}" failed after 0 of 1 records: LZ4 compression not implemented`,
    );
  });
});
