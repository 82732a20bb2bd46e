import { z } from 'zod';
import {
  ConfigError,
  connectionOptionsShape,
  isDerivedTopicName,
  parseOptions,
} from '@org/kafka-core';
import type { RetryPolicy } from './retry-route.js';
import type { EachBatchHandler, EachMessageHandler } from './types.js';

/** The consumer's defaults, in one place. */
export const consumerDefaults = {
  retry: {
    attempts: 3,
    initialDelayMs: 200,
    maxDelayMs: 5_000,
    retryTopicDelaysMs: [1_000, 10_000, 60_000],
  },
  keyOrdering: 'relaxed',
  startFrom: 'earliest',
  partitionConcurrency: 3,
  maxBatchRecords: 500,
  stopTimeoutMs: 30_000,
  commitIntervalMs: 1_000,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxParkedPerPartition: 10_000,
  provisionTopics: 'create',
  deadLetterHeaders: 'sdk',
  lag: { intervalMs: 10_000, window: 10, allowedLag: 0 },
  // Ten keys failing in ten seconds, nine calls in ten failing: a dependency, not bad records.
  outage: {
    distinctKeys: 10,
    windowMs: 10_000,
    failureRatio: 0.9,
    probeIntervalMs: 1_000,
    maxProbeIntervalMs: 10_000,
  },
  maxErrorMessageBytes: 1_024,
  maxErrorStackBytes: 4_096,
} as const;

const topicName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,200}$/, 'letters, digits, ".", "_" and "-", at most 200 characters')
  .refine((t) => !isDerivedTopicName(t), {
    message:
      'is a retry or dead-letter topic name; subscribe to the source topic, its retry topics come with it',
  });

const retrySchema = z.strictObject({
  attempts: z.number().int().min(1).max(100).optional(),
  initialDelayMs: z.number().int().min(0).max(600_000).optional(),
  maxDelayMs: z.number().int().min(0).max(3_600_000).optional(),
  retryTopicDelaysMs: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(7 * 24 * 3_600_000),
    )
    .max(20)
    .optional(),
});

const handlerShape = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'function', `expected a function (${what}) => Promise<void>`);

const consumerOptionsSchema = z
  .strictObject({
    ...connectionOptionsShape,
    groupId: z.string().min(1, 'must not be empty').max(249),
    topics: z
      .array(
        z.union([topicName, z.strictObject({ topic: topicName, retry: retrySchema.optional() })]),
      )
      .min(1, 'at least one topic is required'),
    eachMessage: handlerShape<EachMessageHandler>('record, ctx').optional(),
    eachBatch: handlerShape<EachBatchHandler>('records, ctx').optional(),
    retry: retrySchema.optional(),
    keyOrdering: z.enum(['relaxed', 'preserve']).default(consumerDefaults.keyOrdering),
    startFrom: z.enum(['earliest', 'latest']).default(consumerDefaults.startFrom),
    partitionConcurrency: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(consumerDefaults.partitionConcurrency),
    maxBatchRecords: z.number().int().min(1).max(10_000).default(consumerDefaults.maxBatchRecords),
    stopTimeoutMs: z.number().int().min(0).max(600_000).default(consumerDefaults.stopTimeoutMs),
    commitIntervalMs: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(consumerDefaults.commitIntervalMs),
    sessionTimeoutMs: z
      .number()
      .int()
      .min(6_000)
      .max(300_000)
      .default(consumerDefaults.sessionTimeoutMs),
    heartbeatIntervalMs: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(consumerDefaults.heartbeatIntervalMs),
    rebalanceTimeoutMs: z
      .number()
      .int()
      .min(1_000)
      .max(3_600_000)
      .default(consumerDefaults.rebalanceTimeoutMs),
    maxParkedPerPartition: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(consumerDefaults.maxParkedPerPartition),
    /** 'create' makes missing retry and dead-letter topics; 'verify' only checks them. */
    provisionTopics: z.enum(['create', 'verify']).default(consumerDefaults.provisionTopics),
    /** Lag reporting for this consumer's group (`false` turns it off). */
    lag: z
      .union([
        z.literal(false),
        z.strictObject({
          intervalMs: z
            .number()
            .int()
            .min(100)
            .max(3_600_000)
            .default(consumerDefaults.lag.intervalMs),
          window: z.number().int().min(2).max(1_000).default(consumerDefaults.lag.window),
          allowedLag: z.number().int().min(0).default(consumerDefaults.lag.allowedLag),
        }),
      ])
      .default({ ...consumerDefaults.lag }),
    /** Outage mode (`false` turns it off): hold records while a dependency is down. */
    outage: z
      .union([
        z.literal(false),
        z.strictObject({
          distinctKeys: z
            .number()
            .int()
            .min(2)
            .max(100_000)
            .default(consumerDefaults.outage.distinctKeys),
          windowMs: z
            .number()
            .int()
            .min(100)
            .max(3_600_000)
            .default(consumerDefaults.outage.windowMs),
          failureRatio: z
            .number()
            .gt(0, 'must be above 0')
            .max(1)
            .default(consumerDefaults.outage.failureRatio),
          probeIntervalMs: z
            .number()
            .int()
            .min(10)
            .max(3_600_000)
            .default(consumerDefaults.outage.probeIntervalMs),
          maxProbeIntervalMs: z
            .number()
            .int()
            .min(10)
            .max(3_600_000)
            .default(consumerDefaults.outage.maxProbeIntervalMs),
        }),
      ])
      .default({ ...consumerDefaults.outage }),
    /** 'spring' writes Spring Kafka's kafka_dlt-* names so Java tooling can read dead letters. */
    deadLetterHeaders: z.enum(['sdk', 'spring']).default(consumerDefaults.deadLetterHeaders),
    maxErrorMessageBytes: z
      .number()
      .int()
      .min(64)
      .max(65_536)
      .default(consumerDefaults.maxErrorMessageBytes),
    maxErrorStackBytes: z
      .number()
      .int()
      .min(0)
      .max(262_144)
      .default(consumerDefaults.maxErrorStackBytes),
  })
  .superRefine((o, ctx) => {
    if ((o.eachMessage === undefined) === (o.eachBatch === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [o.eachMessage === undefined ? 'eachMessage' : 'eachBatch'],
        message: 'give exactly one of eachMessage and eachBatch',
      });
    }
    if (o.eachBatch !== undefined && o.keyOrdering === 'preserve') {
      ctx.addIssue({
        code: 'custom',
        path: ['keyOrdering'],
        message:
          "'preserve' needs eachMessage: a batch handler sees records of many keys at once and cannot park one key",
      });
    }
    if (o.heartbeatIntervalMs * 3 > o.sessionTimeoutMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['heartbeatIntervalMs'],
        message: `must be at most a third of sessionTimeoutMs (${o.sessionTimeoutMs}), or one lost heartbeat ends the session`,
      });
    }
    if (o.outage !== false && o.outage.maxProbeIntervalMs < o.outage.probeIntervalMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['outage', 'maxProbeIntervalMs'],
        message: `must be at least probeIntervalMs (${o.outage.probeIntervalMs})`,
      });
    }
    const seen = new Set<string>();
    for (const [i, t] of o.topics.entries()) {
      const name = typeof t === 'string' ? t : t.topic;
      if (seen.has(name)) {
        ctx.addIssue({ code: 'custom', path: ['topics', i], message: `"${name}" is listed twice` });
      }
      seen.add(name);
    }
  });

/** What callers write. */
export type ConsumerOptions = z.input<typeof consumerOptionsSchema>;

/** One subscribed source topic with its effective retry policy. */
export interface TopicPlan {
  readonly topic: string;
  readonly retry: RetryPolicy;
}

export interface ResolvedConsumerOptions extends Omit<
  z.output<typeof consumerOptionsSchema>,
  'topics' | 'retry'
> {
  readonly topics: readonly TopicPlan[];
}

function mergeRetry(
  path: string,
  base: RetryPolicy,
  override: z.output<typeof retrySchema> | undefined,
): RetryPolicy {
  const merged = { ...base, ...override };
  if (merged.maxDelayMs < merged.initialDelayMs) {
    throw new ConfigError('consumer', [
      {
        path: `${path}.maxDelayMs`,
        message: `must be at least initialDelayMs (${merged.initialDelayMs})`,
      },
    ]);
  }
  return merged;
}

/** Validates consumer options once, applying defaults and per-topic retry overrides. */
export function resolveConsumerOptions(input: ConsumerOptions): ResolvedConsumerOptions {
  const o = parseOptions(consumerOptionsSchema, input, 'consumer');
  const base = mergeRetry('retry', consumerDefaults.retry, o.retry);
  return {
    ...o,
    topics: o.topics.map((t, i) =>
      typeof t === 'string'
        ? { topic: t, retry: base }
        : { topic: t.topic, retry: mergeRetry(`topics[${i}].retry`, base, t.retry) },
    ),
  };
}
