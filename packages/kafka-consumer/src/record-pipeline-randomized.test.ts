import { deadLetterTopicName } from '@org/kafka-core';
import type { KafkaMessage } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { NonRetriableError } from './error-classification.js';
import { PipelineHarness, fetchedBack, message, source, type Outcome } from './pipeline-fixture.js';

// Thousands of random runs of the pipeline over the fakes: random keys, handler outcomes,
// policies, batch sizes, hand-off failures and both key orderings. After every batch the
// commit point of every partition must not pass a record that has not reached its outcome
// on that partition; at the end, every source record must have exactly one final outcome
// (processed or dead-lettered) and every partition must be committable to its end.

/** mulberry32: a small seeded generator, so a failing seed can be replayed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const runs = 2_000;
const harnesses: PipelineHarness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.close();
});

async function randomRun(seed: number): Promise<void> {
  const random = generator(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const tiers = pick([0, 1, 2]);
  const failRate = pick([0, 0.2, 0.5, 0.9]);
  const poisonRate = pick([0, 0.05, 0.2]);
  const batchMode = random() < 0.2;
  // 'preserve' needs eachMessage (the options refuse it with eachBatch).
  const keyOrdering = batchMode ? 'relaxed' : pick(['relaxed', 'preserve'] as const);
  const h = new PipelineHarness({
    keyOrdering,
    maxParkedPerPartition: pick([1, 2, 100]),
    maxBatchRecords: pick([1, 3, 500]),
    policy: {
      attempts: pick([1, 2, 3]),
      initialDelayMs: 0,
      maxDelayMs: 0,
      // 0 or 1 ms: some retries are due at once, some pause their partition first.
      retryTopicDelaysMs: Array.from({ length: tiers }, () => pick([0, 1])),
    },
    ...(batchMode
      ? { batchHandler: () => (random() < failRate ? new Error('batch failed') : 'ok') }
      : {
          handler: (): Outcome => {
            const r = random();
            if (r < poisonRate) return new NonRetriableError('poison');
            return r < poisonRate + failRate ? new Error('transient') : 'ok';
          },
        }),
  });
  harnesses.push(h);

  // The topics as logs: the source gets its records up front, retry topics what is sent.
  const count = 1 + Math.floor(random() * 30);
  const keys = ['a', 'b', 'c', 'd', null];
  const logs = new Map<string, KafkaMessage[]>([
    [source, Array.from({ length: count }, (_, i) => message(i, pick(keys)))],
  ]);
  const position = new Map<string, number>([[source, 0]]);
  const finished = new Set<string>(); // `${topic}@${offset}` of every delivery that ended
  const where = (topic: string, offset: string) => `${topic}@${offset}`;
  const fail = (why: string) => `seed ${seed}: ${why}`;

  const committed = new Map<string, bigint>();
  const lastEnded = new Map<string, number>(); // key -> source offset of its last final outcome
  let sentSeen = 0;
  for (let step = 0; ; step++) {
    expect(step, fail('the pipeline stopped making progress')).toBeLessThan(20_000);
    // New hand-offs to retry topics become their records (partition 0: source partition 0);
    // the dead-letter topic is not read.
    for (const s of h.sent.slice(sentSeen)) {
      if (s.topic === deadLetterTopicName(source)) continue;
      const log = logs.get(s.topic) ?? [];
      logs.set(s.topic, log);
      position.set(s.topic, position.get(s.topic) ?? 0);
      log.push(fetchedBack(s, log.length));
    }
    sentSeen = h.sent.length;
    for (const o of h.outcomes.splice(0)) {
      const from = o.record.receivedFrom;
      const id = where(from.topic, from.offset);
      expect(finished.has(id), fail(`${id} reached a second outcome`)).toBe(false);
      finished.add(id);
      if (o.kind === 'retry-scheduled') continue;
      finalOutcomes.push(`${o.record.offset}:${o.kind}`);
      // 'preserve': a key's records end in the order they were published.
      const key = o.record.key?.toString();
      if (keyOrdering === 'preserve' && key !== undefined) {
        const before = lastEnded.get(key) ?? -1;
        expect(Number(o.record.offset), fail(`key ${key} ended out of order`)).toBeGreaterThan(
          before,
        );
        lastEnded.set(key, Number(o.record.offset));
      }
    }
    // The commit point never passes a delivery that has not ended.
    for (const [topic] of logs) {
      const state = h.states.find(topic, 0);
      const point = state?.toCommit();
      if (point === undefined) continue;
      for (let o = 0n; o < point; o++) {
        expect(
          finished.has(where(topic, o.toString())),
          fail(`commit ${point} of ${topic} passes ${o}`),
        ).toBe(true);
      }
      state!.markCommitted(point);
      committed.set(topic, point);
    }
    const ready = [...logs].filter(
      ([topic, log]) => position.get(topic)! < log.length && !h.states.find(topic, 0)?.isPaused(),
    );
    if (ready.length === 0) {
      const waiting = [...logs].some(([topic, log]) => position.get(topic)! < log.length);
      if (!waiting) break;
      // Everything left is paused until a retry is due: let its timer run.
      await new Promise((resolve) => setTimeout(resolve, 1));
      continue;
    }
    const [topic, log] = pick(ready);
    if (random() < 0.05) h.failingSends = pick([1, 2]);
    h.now = Date.now();
    const from = position.get(topic)!;
    const batch = log.slice(from, from + 1 + Math.floor(random() * 5));
    const resolved = await h.run(topic, 0, batch);
    if (resolved.length > 0) position.set(topic, Number(resolved.at(-1)) + 1);
  }

  const perRecord = new Map<string, string[]>();
  for (const f of finalOutcomes.splice(0)) {
    const [offset, kind] = f.split(':') as [string, string];
    perRecord.set(offset, [...(perRecord.get(offset) ?? []), kind]);
  }
  for (let i = 0; i < count; i++) {
    expect(perRecord.get(String(i)), fail(`final outcomes of source record ${i}`)).toHaveLength(1);
  }
  for (const [topic, log] of logs) {
    const end = BigInt(log.length);
    expect(committed.get(topic), fail(`${topic} committed to its end`)).toBe(end);
    expect(h.states.find(topic, 0)!.parking.size, fail('nothing left parked')).toBe(0);
  }
}

const finalOutcomes: string[] = [];

// In slices, so each test stays far inside the suite's per-test limit on a busy machine.
const slice = 200;
describe('the record pipeline under random outcomes', () => {
  for (let first = 1; first <= runs; first += slice) {
    const last = first + slice - 1;
    it(`keeps its commit behind unfinished records and ends every record once (seeds ${first}-${last})`, async () => {
      for (let seed = first; seed <= last; seed++) await randomRun(seed);
    });
  }
});
