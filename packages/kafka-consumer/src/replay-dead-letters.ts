import { randomUUID } from 'node:crypto';
import {
  ConfigError,
  KafkaSdkError,
  connectionOf,
  connectClient,
  connectionOptionsShape,
  createKafkaJsClient,
  deadLetterTopicName,
  headerText,
  jsonLogger,
  parseOptions,
} from '@org/kafka-core';
import { createProducer, type ProducerMessage } from '@org/kafka-producer';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import { retryHeaderNames, springDltHeaderNames } from './retry-headers.js';

/** A dead letter as the replay filter sees it. */
export interface DeadLetter {
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  /** Where it was first published (from its headers, SDK or Spring names). */
  readonly originalTopic: string | undefined;
  readonly exceptionClass: string | undefined;
  readonly exceptionMessage: string | undefined;
}

const replayOptionsSchema = z
  .strictObject({
    ...connectionOptionsShape,
    /** The source topic whose `<topic>.dlq` is replayed. */
    topic: z.string().min(1, 'must not be empty'),
    filter: z
      .custom<(dead: DeadLetter) => boolean>((v) => typeof v === 'function', 'expected a function')
      .optional(),
    /**
     * A consumer group that keeps the replay's position: each run starts where the last one
     * stopped, so running twice does not replay twice. Without it nothing is kept.
     */
    group: z.string().min(1, 'must not be empty').optional(),
    /** Count what would be replayed without writing anything (nor moving `group`). */
    dryRun: z.boolean().default(false),
  })
  .superRefine((o, ctx) => {
    if (o.group !== undefined && o.filter !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['group'],
        message:
          'cannot be combined with filter: the position would pass the dead letters the filter skipped',
      });
    }
  });

export type ReplayOptions = z.input<typeof replayOptionsSchema>;

export interface ReplayReport {
  readonly deadLetterTopic: string;
  /** Dead letters read: everything up to the end offsets taken at the start. */
  readonly read: number;
  readonly replayed: number;
  readonly skipped: number;
}

// Headers that describe the failure; the replayed record is a fresh first attempt.
const failureHeaders: ReadonlySet<string> = new Set([
  ...Object.values(retryHeaderNames),
  ...Object.values(springDltHeaderNames),
]);

function deadLetterOf(message: KafkaMessage, partition: number): DeadLetter {
  const headers = message.headers ?? {};
  return {
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key ?? null,
    value: message.value ?? null,
    headers,
    originalTopic:
      headerText(headers, retryHeaderNames.originalTopic) ??
      headerText(headers, springDltHeaderNames.originalTopic),
    exceptionClass:
      headerText(headers, retryHeaderNames.exceptionClass) ??
      headerText(headers, springDltHeaderNames.exceptionClass),
    exceptionMessage:
      headerText(headers, retryHeaderNames.exceptionMessage) ??
      headerText(headers, springDltHeaderNames.exceptionMessage),
  };
}

/**
 * Republishes the dead letters of `<topic>.dlq` that pass `filter` to `topic`, keeping their
 * keys, values and own headers (the failure headers are dropped; `x-replayed-from` names the
 * dead letter). It reads up to the end offsets taken at the start, so it ends. Without
 * `group` it keeps no position and a second run replays again (dead letters are a human's
 * call, not a stream); with `group` each replayed batch is committed once the source topic
 * has acknowledged it, and the next run starts after it (at least once: a crash between the
 * two replays that batch again).
 */
export async function replayDeadLetters(input: ReplayOptions): Promise<ReplayReport> {
  const o = parseOptions(replayOptionsSchema, input, 'replayDeadLetters');
  const logger = o.logger ?? jsonLogger('info');
  const dlq = deadLetterTopicName(o.topic);
  const client = createKafkaJsClient(o, logger);
  const admin = client.admin();
  await connectClient(admin, o);
  const report = { deadLetterTopic: dlq, read: 0, replayed: 0, skipped: 0 };
  // Without a group of the caller's, a throwaway one (kafkajs consumes only in a group): it
  // commits nothing and is deleted.
  const groupId = o.group ?? `replay-${dlq}-${randomUUID()}`;
  const keepsPosition = o.group !== undefined && !o.dryRun;
  const consumer = client.consumer({ groupId, allowAutoTopicCreation: false });
  const producer = createProducer({
    ...connectionOf(o),
    clientId: `${o.clientId}-replay`,
    logger,
  });
  try {
    const topics = await admin.listTopics();
    for (const t of [o.topic, dlq]) {
      if (!topics.includes(t)) {
        throw new ConfigError('replayDeadLetters', [
          { path: 'topic', message: `"${t}" does not exist` },
        ]);
      }
    }
    const position = new Map<number, bigint>();
    if (o.group !== undefined) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [dlq] });
      for (const p of committed?.partitions ?? []) {
        if (BigInt(p.offset) >= 0n) position.set(p.partition, BigInt(p.offset));
      }
    }
    // Partitions with something to read between the start (or the kept position) and the end.
    const remaining = new Map(
      (await admin.fetchTopicOffsets(dlq))
        .filter((p) => BigInt(p.high) > (position.get(p.partition) ?? BigInt(p.low)))
        .map((p) => [p.partition, BigInt(p.high)]),
    );
    if (remaining.size === 0) return report;
    if (!o.dryRun) await producer.connect();
    await connectClient(consumer, o);
    await consumer.subscribe({ topics: [dlq], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = remaining.get(batch.partition);
            if (end === undefined) return;
            const replays: ProducerMessage[] = [];
            for (const message of batch.messages) {
              if (BigInt(message.offset) >= end) break;
              const dead = deadLetterOf(message, batch.partition);
              report.read++;
              if (o.filter && !o.filter(dead)) {
                report.skipped++;
                continue;
              }
              const headers: IHeaders = {
                'x-replayed-from': `${dlq}/${batch.partition}/${message.offset}`,
              };
              for (const [name, value] of Object.entries(dead.headers)) {
                if (!failureHeaders.has(name)) headers[name] = value;
              }
              replays.push({ key: dead.key, value: dead.value, headers });
            }
            // One acknowledged send per fetched batch, in the dead-letter topic's order.
            if (replays.length > 0 && !o.dryRun) {
              await producer.send({ topic: o.topic, messages: replays });
            }
            report.replayed += replays.length;
            // lastOffset() counts control records too, so a partition ending in one ends.
            const next = BigInt(batch.lastOffset()) + 1n;
            if (keepsPosition) {
              await consumer.commitOffsets([
                { topic: dlq, partition: batch.partition, offset: String(next < end ? next : end) },
              ]);
            }
            if (next >= end) remaining.delete(batch.partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } catch (err) {
    if (KafkaSdkError.is(err) && err.code === 'CONFIG_INVALID') throw err;
    throw new KafkaSdkError(
      'REPLAY_FAILED',
      `replaying "${dlq}" failed after ${report.replayed} records: ${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    await consumer.disconnect();
    if (!o.dryRun) await producer.disconnect();
    if (o.group === undefined) await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return report;
}
