import {
  KafkaSdkError,
  deadLetterTopicName,
  ensureTopics,
  metadataCatchUp,
  retryTopicName,
  whileMetadataCatchesUp,
  type CatchUpWait,
  type Logger,
  type TopicSpec,
} from '@org/kafka-core';
import kafkajs, { type Admin } from 'kafkajs';
import type { TopicPlan } from './options.js';

// Named exports of kafkajs (CommonJS) are missing when imported from plain Node ESM.
const { ConfigResourceTypes } = kafkajs;

const day = 24 * 3_600_000;
/** Dead letters wait for a human; keep them a month. */
export const deadLetterRetentionMs = 30 * day;

/**
 * A retry topic's retention: a week, or ten times its delay when that is longer, so a
 * record never expires while it waits (plus room for a consumer that was down a while).
 */
export function retryRetentionMs(delayMs: number): number {
  return Math.max(7 * day, delayMs * 10);
}

/** The retry and dead-letter topics a source topic with `partitions` partitions needs. */
export function retryTopicSpecs(plan: TopicPlan, partitions: number): TopicSpec[] {
  const specs: TopicSpec[] = plan.retry.retryTopicDelaysMs.map((delay, i) => ({
    topic: retryTopicName(plan.topic, i + 1),
    // At least as many partitions as the source: a retried record goes to the partition
    // number it came from, so its retries stay with the member owning that partition.
    partitions,
    configs: { 'retention.ms': String(retryRetentionMs(delay)) },
  }));
  specs.push({
    topic: deadLetterTopicName(plan.topic),
    partitions,
    configs: { 'retention.ms': String(deadLetterRetentionMs) },
  });
  return specs;
}

/** What exists of one topic. */
export interface ExistingTopic {
  readonly partitions: number;
  /** -1 for unlimited. */
  readonly retentionMs: number;
}

/**
 * Problems with existing retry and dead-letter topics that would lose or misroute records:
 * missing (in verify mode), fewer partitions than the source, or a retention shorter than
 * the delay of the tier.
 */
export function retryTopicProblems(
  specs: readonly TopicSpec[],
  existing: ReadonlyMap<string, ExistingTopic>,
  mode: 'create' | 'verify',
): string[] {
  const problems: string[] = [];
  for (const spec of specs) {
    const actual = existing.get(spec.topic);
    if (!actual) {
      if (mode === 'verify') problems.push(`"${spec.topic}" does not exist`);
      continue;
    }
    if (mode === 'verify' && actual.partitions < spec.partitions) {
      problems.push(
        `"${spec.topic}" has ${actual.partitions} partitions, fewer than its source topic (${spec.partitions})`,
      );
    }
    const wanted = Number(spec.configs?.['retention.ms']);
    // Half the wanted retention still leaves five times the delay (a week at least).
    if (actual.retentionMs !== -1 && actual.retentionMs < wanted / 2) {
      problems.push(
        `"${spec.topic}" keeps records ${actual.retentionMs} ms, too short for its delay (at least ${wanted / 2} ms wanted): records could expire while they wait`,
      );
    }
  }
  return problems;
}

/** Some topics asked for were not listed: retriable, as the metadata may catch up. */
class TopicsNotListedYet extends Error {
  readonly retriable = true;
  constructor(readonly found: Map<string, ExistingTopic>) {
    super('not in the metadata yet');
  }
}

/**
 * The source topics. One that is absent, or a metadata error Kafka calls retriable, is asked
 * again while the metadata catches up (a service started right after its topic was created
 * elsewhere saw "not found", and "This server does not host this topic-partition", each once
 * in 20 in fresh-topics.test.ts on a busy machine); after that, absent means missing.
 */
async function describeSources(
  admin: Admin,
  topics: readonly string[],
  wait: CatchUpWait,
): Promise<Map<string, ExistingTopic>> {
  try {
    return await whileMetadataCatchesUp(async () => {
      const found = await describeTopics(admin, topics);
      if (!topics.every((t) => found.has(t))) throw new TopicsNotListedYet(found);
      return found;
    }, wait);
  } catch (err) {
    if (err instanceof TopicsNotListedYet) return err.found;
    throw err;
  }
}

async function describeTopics(
  admin: Admin,
  topics: readonly string[],
): Promise<Map<string, ExistingTopic>> {
  const listed = new Set(await admin.listTopics());
  const present = topics.filter((t) => listed.has(t));
  const result = new Map<string, ExistingTopic>();
  if (present.length === 0) return result;
  const meta = await admin.fetchTopicMetadata({ topics: present });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: ['retention.ms'],
    })),
  });
  for (const t of meta.topics) {
    const entry = configs.resources
      .find((r) => r.resourceName === t.name)
      ?.configEntries.find((c) => c.configName === 'retention.ms');
    result.set(t.name, {
      partitions: t.partitions.length,
      retentionMs: entry ? Number(entry.configValue) : -1,
    });
  }
  return result;
}

/**
 * Checks the source topics exist and makes their retry and dead-letter topics ready before
 * the first record is read: a problem is reported at start, not at the first failure.
 * Returns the partition count of every source, retry and dead-letter topic.
 */
export async function provisionRetryTopics(
  admin: Admin,
  plans: readonly TopicPlan[],
  mode: 'create' | 'verify',
  logger: Logger,
  wait: CatchUpWait = metadataCatchUp,
): Promise<Map<string, number>> {
  const sources = await describeSources(
    admin,
    plans.map((p) => p.topic),
    wait,
  );
  const missing = plans.filter((p) => !sources.has(p.topic)).map((p) => `"${p.topic}"`);
  if (missing.length > 0) {
    throw new KafkaSdkError(
      'CONSUMER_TOPIC_MISSING',
      `Subscribed topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found (looked for ${wait.ms / 1000} s): create ${missing.length > 1 ? 'them' : 'it'} first (ensureTopics in @org/kafka-core)`,
    );
  }
  const specs = plans.flatMap((p) => retryTopicSpecs(p, sources.get(p.topic)!.partitions));
  const existing = await describeTopics(
    admin,
    specs.map((s) => s.topic),
  );
  const problems = retryTopicProblems(specs, existing, mode);
  if (problems.length > 0) {
    throw new KafkaSdkError(
      'CONSUMER_RETRY_TOPICS_INVALID',
      `Retry and dead-letter topics are not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  if (mode === 'create') await ensureTopics(admin, specs, { logger });
  // ensureTopics raises a topic to its spec and never lowers it; verify mode refused fewer.
  const partitions = new Map([...sources].map(([topic, t]) => [topic, t.partitions]));
  for (const spec of specs) {
    partitions.set(
      spec.topic,
      Math.max(existing.get(spec.topic)?.partitions ?? 0, spec.partitions),
    );
  }
  return partitions;
}
