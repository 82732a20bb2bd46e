import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { jsonLogger } from '@org/kafka-core';
import { NonRetriableError, createConsumer, replayDeadLetters } from '@org/kafka-consumer';
import { createProducer } from '@org/kafka-producer';
import { consumeN, createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { testClient } from '../kafka-clients.js';
import { until } from './order-records.js';

const run = promisify(execFile);
/** Runs the kafka-dlq CLI; resolves with its output, rejects with its exit code and stderr. */
const kafkaDlq = (...args: string[]) => run(process.execPath, [cli, ...args]);
const cli = join(
  dirname(createRequire(import.meta.url).resolve('@org/kafka-consumer/package.json')),
  'dist/cli.js',
);

describe('replaying dead letters', () => {
  const kafka = sharedKafka();

  it('republishes the chosen dead letters to their topic with keys and headers, by API and CLI', async () => {
    const topic = `orders-replay-${Date.now()}`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 3 });
    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'replay-feed',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 10 }, (_, i) => ({
        key: `k${i}`,
        value: `v${i}`,
        headers: { tenant: 'acme' },
      })),
    });
    await producer.disconnect();

    let dead = 0;
    const consumer = createConsumer({
      brokers: kafka.bootstrapServers,
      clientId: 'replay-test',
      groupId: `${topic}-group`,
      topics: [topic],
      logger: jsonLogger('error'),
      eachMessage: (r) => Promise.reject(new NonRetriableError(`bad ${r.value!.toString()}`)),
    });
    consumer.on('record', (o) => o.kind === 'dead-lettered' && dead++);
    await consumer.run();
    try {
      await until(
        () => dead >= 10,
        60_000,
        () => `${dead} dead-lettered`,
      );
    } finally {
      await consumer.stop();
    }

    // The CLI: a dry run counts, and bad arguments are refused naming the argument.
    const brokers = kafka.bootstrapServers.join(',');
    const dry = await kafkaDlq(
      'replay',
      '--brokers',
      brokers,
      '--topic',
      topic,
      '--key',
      'k3',
      '--dry-run',
    );
    expect(JSON.parse(dry.stdout)).toEqual({
      deadLetterTopic: `${topic}.dlq`,
      read: 10,
      replayed: 1,
      skipped: 9,
    });
    const bad = await kafkaDlq('replay', '--brokers', brokers).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(bad).toMatchObject({ code: 64 });
    expect((bad as { stderr: string }).stderr).toContain('--topic: required');
    const cliReplay = await kafkaDlq(
      'replay',
      '--brokers',
      brokers,
      '--topic',
      topic,
      '--key',
      'k9',
    );
    expect(JSON.parse(cliReplay.stdout)).toMatchObject({ replayed: 1 });

    // The API with a filter on the dead letter's error and key.
    const report = await replayDeadLetters({
      brokers: kafka.bootstrapServers,
      topic,
      logger: jsonLogger('error'),
      filter: (d) =>
        d.exceptionClass === 'NonRetriableError' && ['k0', 'k1', 'k2'].includes(d.key!.toString()),
    });
    expect(report).toEqual({ deadLetterTopic: `${topic}.dlq`, read: 10, replayed: 3, skipped: 7 });

    const all = await consumeN(kafka.bootstrapServers, topic, 14, { timeoutMs: 60_000 });
    const replayed = all.filter((r) => r.headers['x-replayed-from'] !== undefined);
    expect(replayed.map((r) => r.key!.toString()).sort()).toEqual(['k0', 'k1', 'k2', 'k9']);
    for (const r of replayed) {
      expect(r.value!.toString()).toBe(`v${r.key!.toString().slice(1)}`);
      expect(r.headers.tenant!.toString()).toBe('acme');
      expect(r.headers['x-exception-class']).toBeUndefined();
      expect(r.headers['x-original-offset']).toBeUndefined();
      expect(r.headers['x-replayed-from']!.toString()).toMatch(
        new RegExp(`^${topic}\\.dlq/\\d/\\d+$`),
      );
    }
  });

  it('keeps its position in a group: a second run replays nothing, later dead letters once', async () => {
    const topic = `orders-replay-position-${Date.now()}`;
    const dlq = `${topic}.dlq`;
    await createTopic(kafka.bootstrapServers, { topic, partitions: 2 });
    await createTopic(kafka.bootstrapServers, { topic: dlq, partitions: 2 });
    const producer = createProducer({
      brokers: kafka.bootstrapServers,
      clientId: 'replay-position-feed',
      logger: jsonLogger('warn'),
    });
    // Dead letters as the consumer writes them; here straight into the dead-letter topic.
    const deadLetters = (from: number, count: number) =>
      producer.send({
        topic: dlq,
        messages: Array.from({ length: count }, (_, i) => ({
          key: `k${from + i}`,
          value: `v${from + i}`,
          headers: { 'x-exception-class': 'NonRetriableError' },
        })),
      });
    const group = `${topic}-replay`;
    const replay = (dryRun = false) =>
      replayDeadLetters({
        brokers: kafka.bootstrapServers,
        topic,
        group,
        dryRun,
        logger: jsonLogger('error'),
      });
    const nothing = { deadLetterTopic: dlq, read: 0, replayed: 0, skipped: 0 };
    await producer.connect();
    try {
      await deadLetters(0, 6);
      expect(await replay()).toEqual({ ...nothing, read: 6, replayed: 6 });
      expect(await replay()).toEqual(nothing);

      await deadLetters(6, 4);
      // A dry run counts from the kept position and moves nothing.
      expect(await replay(true)).toEqual({ ...nothing, read: 4, replayed: 4 });
      const brokers = kafka.bootstrapServers.join(',');
      const cliRun = await kafkaDlq(
        'replay',
        '--brokers',
        brokers,
        '--topic',
        topic,
        '--group',
        group,
      );
      expect(JSON.parse(cliRun.stdout)).toEqual({ ...nothing, read: 4, replayed: 4 });
      expect(await replay()).toEqual(nothing);
    } finally {
      await producer.disconnect();
    }

    // The source topic holds each dead letter exactly once.
    const admin = testClient(kafka.bootstrapServers).admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)).toBe(10);
      // The position is an ordinary group: the lag tools see it at the end.
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [dlq] });
      const ends = await admin.fetchTopicOffsets(dlq);
      for (const p of committed!.partitions) {
        expect(p.offset).toBe(ends.find((e) => e.partition === p.partition)!.high);
      }
    } finally {
      await admin.disconnect();
    }
    const replayed = await consumeN(kafka.bootstrapServers, topic, 10, { timeoutMs: 60_000 });
    expect(replayed.map((r) => r.key!.toString()).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `k${i}`).sort(),
    );
  });
});
