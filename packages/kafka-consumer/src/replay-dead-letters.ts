import { randomUUID } from 'node:crypto';
import {
  ConfigError,
  KafkaSdkError,
  connectionOf,
  connectionOptionsShape,
  createKafkaJsClient,
  jsonLogger,
  parseOptions,
} from '@org/kafka-core';
import { createProducer } from '@org/kafka-producer';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import { retryHeaderNames, springDltHeaderNames } from './retry-headers.js';
import { deadLetterTopicName } from './retry-route.js';

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

const replayOptionsSchema = z.strictObject({
  ...connectionOptionsShape,
  /** The source topic whose `<topic>.dlq` is replayed. */
  topic: z.string().min(1, 'must not be empty'),
  filter: z
    .custom<(dead: DeadLetter) => boolean>((v) => typeof v === 'function', 'expected a function')
    .optional(),
  /** Count what would be replayed without writing anything. */
  dryRun: z.boolean().default(false),
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

function header(headers: IHeaders, name: string): string | undefined {
  const v = headers[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first === undefined ? undefined : first.toString();
}

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
      header(headers, retryHeaderNames.originalTopic) ??
      header(headers, springDltHeaderNames.originalTopic),
    exceptionClass:
      header(headers, retryHeaderNames.exceptionClass) ??
      header(headers, springDltHeaderNames.exceptionClass),
    exceptionMessage:
      header(headers, retryHeaderNames.exceptionMessage) ??
      header(headers, springDltHeaderNames.exceptionMessage),
  };
}

/**
 * Republishes the dead letters of `<topic>.dlq` that pass `filter` to `topic`, keeping their
 * keys, values and own headers (the failure headers are dropped; `x-replayed-from` names the
 * dead letter). It reads up to the end offsets taken at the start, so it ends; it keeps no
 * position, so a second run replays again (dead letters are a human's call, not a stream).
 */
export async function replayDeadLetters(input: ReplayOptions): Promise<ReplayReport> {
  const o = parseOptions(replayOptionsSchema, input, 'replayDeadLetters');
  const logger = o.logger ?? jsonLogger('info');
  const dlq = deadLetterTopicName(o.topic);
  const client = createKafkaJsClient(o, logger);
  const admin = client.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const topics = await admin.listTopics();
    for (const t of [o.topic, dlq]) {
      if (!topics.includes(t)) {
        throw new ConfigError('replayDeadLetters', [
          { path: 'topic', message: `"${t}" does not exist` },
        ]);
      }
    }
    const offsets = await admin.fetchTopicOffsets(dlq);
    ends = new Map(
      offsets
        .filter((p) => BigInt(p.high) > BigInt(p.low))
        .map((p) => [p.partition, BigInt(p.high)]),
    );
  } finally {
    await admin.disconnect();
  }
  const report = { deadLetterTopic: dlq, read: 0, replayed: 0, skipped: 0 };
  if (ends.size === 0) return report;

  const producer = createProducer({
    ...connectionOf(o),
    clientId: `${o.clientId}-replay`,
    logger,
  });
  // A throwaway group: kafkajs consumes only in a group. It commits nothing and is deleted.
  const groupId = `replay-${dlq}-${randomUUID()}`;
  const consumer = client.consumer({ groupId, allowAutoTopicCreation: false });
  if (!o.dryRun) await producer.connect();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [dlq], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const remaining = new Map(ends);
      consumer
        .run({
          autoCommit: false,
          eachBatch: async (payload) => {
            const { batch } = payload;
            const end = remaining.get(batch.partition);
            for (const message of batch.messages) {
              if (end === undefined || BigInt(message.offset) >= end) break;
              const dead = deadLetterOf(message, batch.partition);
              report.read++;
              if (o.filter && !o.filter(dead)) report.skipped++;
              else {
                if (!o.dryRun) {
                  const headers: IHeaders = {
                    'x-replayed-from': `${dlq}/${batch.partition}/${message.offset}`,
                  };
                  for (const [name, value] of Object.entries(dead.headers)) {
                    if (!failureHeaders.has(name)) headers[name] = value;
                  }
                  await producer.send({
                    topic: o.topic,
                    messages: [{ key: dead.key, value: dead.value, headers }],
                  });
                }
                report.replayed++;
              }
              payload.resolveOffset(message.offset);
              await payload.heartbeat();
            }
            // lastOffset() counts control records too, so a partition ending in one ends.
            if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) {
              remaining.delete(batch.partition);
            }
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } catch (err) {
    throw new KafkaSdkError(
      'REPLAY_FAILED',
      `replaying "${dlq}" failed after ${report.replayed} records: ${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    await consumer.disconnect();
    if (!o.dryRun) await producer.disconnect();
    const cleanup = client.admin();
    await cleanup.connect();
    await cleanup.deleteGroups([groupId]).catch(() => undefined);
    await cleanup.disconnect();
  }
  return report;
}
