import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import { testkitKafka } from './cluster-admin.js';
import { KafkaTestkitError } from './errors.js';

export interface ConsumeOptions {
  /** Default 30 000. */
  readonly timeoutMs?: number;
  /** Read from the earliest offset (default) or only records written after subscribing. */
  readonly fromBeginning?: boolean;
}

/** A record as read back by consumeN. */
export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  readonly timestamp: string;
}

/**
 * Reads `n` records of `topic` with a fresh consumer group, then leaves and deletes the
 * group. Rejects with TESTKIT_TIMEOUT, saying how many arrived, when fewer than `n` come.
 */
export async function consumeN(
  bootstrapServers: readonly string[],
  topic: string,
  n: number,
  options: ConsumeOptions = {},
): Promise<ConsumedMessage[]> {
  const { timeoutMs = 30_000, fromBeginning = true } = options;
  if (!Number.isInteger(n) || n < 0) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `consumeN: n must be a non-negative integer, got ${n}`,
    );
  }
  const kafka = testkitKafka(bootstrapServers, 'kafka-testkit-consume');
  const groupId = `kafka-testkit-consume-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const received: ConsumedMessage[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning });
    await new Promise<void>((resolve, reject) => {
      if (n === 0) {
        resolve();
        return;
      }
      timer = setTimeout(() => {
        reject(
          new KafkaTestkitError(
            'TESTKIT_TIMEOUT',
            `consumeN: got ${received.length} of ${n} records from "${topic}" in ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      // A crash kafkajs will not restart from (a codec it lacks, say) would otherwise look
      // like a timeout with 0 records.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart) return;
        reject(
          new KafkaTestkitError(
            'TESTKIT_CONSUME_FAILED',
            `consumeN: reading "${topic}" failed after ${received.length} of ${n} records: ${payload.error.message}`,
            { cause: payload.error },
          ),
        );
      });
      consumer
        .run({
          eachMessage: async ({ topic: t, partition, message }) => {
            if (received.length >= n) return;
            received.push({
              topic: t,
              partition,
              offset: message.offset,
              key: message.key,
              value: message.value,
              headers: message.headers ?? {},
              timestamp: message.timestamp,
            });
            if (received.length === n) resolve();
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
    return received;
  } finally {
    if (timer) clearTimeout(timer);
    await consumer.disconnect().catch(() => {});
    const admin = kafka.admin();
    // The throwaway group would otherwise show up in lag tools and group listings.
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => {})
      .finally(() => admin.disconnect().catch(() => {}));
  }
}
