import { KafkaSdkError } from '@org/kafka-core';
import { describe, expect, it } from 'vitest';
import { logEndOffsets, type OffsetsAdmin, type PartitionLogOffsets } from './log-end-offsets.js';

const offsets: PartitionLogOffsets[] = [{ partition: 0, high: '5', low: '0' }];

// kafkajs's own failure when its metadata of a topic has no partitions yet.
const notLoaded = () =>
  new TypeError("Cannot destructure property 'partitions' of 'low.pop(...)' as it is undefined.");

/** An admin whose offset reads fail with `failures` in turn, then succeed. */
function admin(failures: (() => Error)[]) {
  const calls = { offsets: 0, metadata: 0 };
  const fake: OffsetsAdmin = {
    fetchTopicOffsets: () => {
      calls.offsets++;
      const next = failures.shift();
      return next ? Promise.reject(next()) : Promise.resolve(offsets);
    },
    fetchTopicMetadata: () => {
      calls.metadata++;
      return Promise.resolve({ topics: [] });
    },
  } as unknown as OffsetsAdmin;
  return { fake, calls };
}

/** Sleeps recorded, not slept. */
function wait(ms = 10_000) {
  const slept: number[] = [];
  return {
    slept,
    wait: { ms, sleep: (d: number) => (slept.push(d), Promise.resolve()) },
  };
}

describe('logEndOffsets', () => {
  it('reads a topic whose metadata is there at once', async () => {
    const a = admin([]);
    await expect(logEndOffsets(a.fake, 't', wait().wait)).resolves.toEqual(offsets);
    expect(a.calls).toEqual({ offsets: 1, metadata: 0 });
  });

  it('waits out a topic created a moment ago: kafkajs fails with a TypeError until its metadata is in', async () => {
    const a = admin([notLoaded, notLoaded, notLoaded]);
    const w = wait();
    await expect(logEndOffsets(a.fake, 't', w.wait)).resolves.toEqual(offsets);
    expect(a.calls).toEqual({ offsets: 4, metadata: 3 });
    expect(w.slept).toEqual([100, 200, 400]);
  });

  it('waits out a retriable Kafka error too', async () => {
    const leaderless = () =>
      Object.assign(new Error('There is no leader for this topic-partition'), { retriable: true });
    const a = admin([leaderless]);
    await expect(logEndOffsets(a.fake, 't', wait().wait)).resolves.toEqual(offsets);
  });

  it('fails the round, naming the topic, when the metadata never comes within the bound', async () => {
    const a = admin(Array.from({ length: 100 }, () => notLoaded));
    const w = wait(1_000);
    const err: unknown = await logEndOffsets(a.fake, 'orders.retry.3', w.wait).catch(
      (e: unknown) => e,
    );
    expect(KafkaSdkError.is(err) && err.code).toBe('LAG_MONITOR_OFFSETS_FAILED');
    expect((err as Error).message).toContain('"orders.retry.3"');
    expect((err as Error).message).toContain('low.pop');
    expect(w.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1_000);
  });

  it('fails at once on an error that waiting cannot mend', async () => {
    const denied = () =>
      Object.assign(new Error('Topic authorization failed'), { retriable: false });
    const a = admin([denied]);
    const w = wait();
    await expect(logEndOffsets(a.fake, 't', w.wait)).rejects.toThrow('Topic authorization failed');
    expect(w.slept).toEqual([]);
  });
});
