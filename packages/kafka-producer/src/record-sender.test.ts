import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonLogger, type KafkaSdkError } from '@org/kafka-core';
import {
  FakeCluster,
  FakeProduceDriver,
  testSenderSettings,
  type FateHook,
} from './produce-driver.fake.js';
import { RecordSender, type RecordOwner, type SenderSettings } from './record-sender.js';
import type { RecordMetadata } from './types.js';

const topic = 'orders';
const settings = testSenderSettings;

interface Outcome {
  readonly promise: Promise<RecordMetadata[]>;
  readonly owner: RecordOwner;
}

function outcome(count: number): Outcome {
  let owner!: RecordOwner;
  const promise = new Promise<RecordMetadata[]>((resolve, reject) => {
    const results: RecordMetadata[] = [];
    let left = count;
    owner = {
      written: (index, meta) => {
        results[index] = meta;
        if (--left === 0) resolve(results);
      },
      failed: (error: KafkaSdkError) => reject(error),
    };
  });
  // Rejections are asserted where they are expected.
  promise.catch(() => {});
  return { promise, owner };
}

async function started(cluster: FakeCluster, overrides: Partial<SenderSettings> = {}) {
  const sender = new RecordSender(
    new FakeProduceDriver(cluster),
    { ...settings, ...overrides },
    jsonLogger('silent'),
    () => 0.5,
  );
  await sender.start();
  const send = (partition: number, values: string[], deadlineMs = 120_000) => {
    const o = outcome(values.length);
    values.forEach((value, index) =>
      sender.add(
        topic,
        partition,
        { key: null, value, headers: {}, timestamp: Date.now(), owner: o.owner, index },
        Date.now() + deadlineMs,
      ),
    );
    return o.promise;
  };
  return { sender, send };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('RecordSender', () => {
  it('puts sends started in one turn into one batch per partition, with offsets per record', async () => {
    const cluster = new FakeCluster(topic, [1, 2]);
    const { send } = await started(cluster);
    const sends = [send(0, ['a']), send(1, ['b']), send(0, ['c', 'd'])];
    await vi.runAllTimersAsync();
    const results = await Promise.all(sends);
    expect(cluster.sent.map((b) => [b.partition, b.values])).toEqual([
      [0, ['a', 'c', 'd']],
      [1, ['b']],
    ]);
    expect(results).toEqual([
      [{ topic, partition: 0, offset: '0' }],
      [{ topic, partition: 1, offset: '0' }],
      [
        { topic, partition: 0, offset: '1' },
        { topic, partition: 0, offset: '2' },
      ],
    ]);
  });

  it('sends at once on an idle partition, without waiting for the linger', async () => {
    const cluster = new FakeCluster(topic, [1]);
    const { send } = await started(cluster, { lingerMs: 60_000 });
    const sent = send(0, ['a']);
    await vi.advanceTimersByTimeAsync(0);
    expect(cluster.sent).toHaveLength(1);
    await expect(sent).resolves.toHaveLength(1);
  });

  it('lets the next batch of a busy partition fill while its first is in flight', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const cluster = new FakeCluster(topic, [1], (_broker, call) =>
      call === 1 ? { hold: held } : {},
    );
    const { send } = await started(cluster, { lingerMs: 60_000 });
    const first = send(0, ['a']);
    await vi.advanceTimersByTimeAsync(0);
    const later = [send(0, ['b']), send(0, ['c'])];
    await vi.advanceTimersByTimeAsync(1_000);
    expect(cluster.sent).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all([first, ...later]);
    expect(cluster.sent.map((b) => b.values)).toEqual([['a'], ['b', 'c']]);
  });

  it('fails a batch that is never answered with DELIVERY_TIMEOUT, having sent it only under its first numbers', async () => {
    const cluster = new FakeCluster(topic, [1], () => ({ transport: 'lost' }));
    const { send } = await started(cluster);
    const sent = send(0, ['a', 'b'], 10_000);
    await vi.advanceTimersByTimeAsync(11_000);
    await expect(sent).rejects.toMatchObject({ code: 'DELIVERY_TIMEOUT', retriable: true });
    expect(cluster.sent.length).toBeGreaterThan(3);
    expect(new Set(cluster.sent.map((b) => `${b.producerEpoch}/${b.baseSequence}`))).toEqual(
      new Set(['0/0']),
    );
  });

  it('writes a retried batch once when the first answer was lost, and resolves it with the first offset', async () => {
    const cluster = new FakeCluster(topic, [1], (_broker, call) =>
      call === 1 ? { transport: 'answer-lost' } : {},
    );
    const { send } = await started(cluster);
    const sent = send(0, ['a']);
    await vi.runAllTimersAsync();
    await expect(sent).resolves.toEqual([{ topic, partition: 0, offset: '0' }]);
    expect(cluster.logs[0]!.records.map((r) => r.value)).toEqual(['a']);
    expect(cluster.sent).toHaveLength(2);
  });

  it('follows a leader that moved, with the same numbers', async () => {
    const cluster = new FakeCluster(topic, [1]);
    const { send } = await started(cluster);
    await vi.runAllTimersAsync();
    const warm = send(0, ['a']);
    await vi.runAllTimersAsync();
    await warm;
    cluster.leaders[0] = 2; // broker 1 answers NOT_LEADER from now on
    const moved = send(0, ['b']);
    await vi.runAllTimersAsync();
    await expect(moved).resolves.toEqual([{ topic, partition: 0, offset: '1' }]);
    expect(cluster.sent.map((b) => b.baseSequence)).toEqual([0, 1]);
  });

  it('fails a refused batch with SEND_FAILED naming the partition and the error, and writes the next one under a new epoch', async () => {
    const cluster = new FakeCluster(topic, [1], (_broker, call) =>
      call === 1 ? { refuse: new Map([[0, 10]]) } : {},
    );
    const { send } = await started(cluster);
    const refused = send(0, ['too big']);
    await vi.runAllTimersAsync();
    await expect(refused).rejects.toMatchObject({
      code: 'SEND_FAILED',
      message: expect.stringMatching(/orders partition 0: MESSAGE_TOO_LARGE/) as unknown,
    });
    const next = send(0, ['fine']);
    await vi.runAllTimersAsync();
    await expect(next).resolves.toHaveLength(1);
    expect(cluster.logs[0]!.records).toEqual([
      expect.objectContaining({ value: 'fine', producerEpoch: 1, baseSequence: 0 }),
    ]);
  });

  it('with acks=0 resolves without an answer, offset unknown', async () => {
    const cluster = new FakeCluster(topic, [1]);
    const { send } = await started(cluster, { acks: 0, idempotent: false });
    const sent = send(0, ['a']);
    await vi.runAllTimersAsync();
    await expect(sent).resolves.toEqual([{ topic, partition: 0, offset: '-1' }]);
  });

  it('fails what is still pending when closed', async () => {
    const never: FateHook = () => ({ hold: new Promise<void>(() => {}) });
    const cluster = new FakeCluster(topic, [1], never);
    const { sender, send } = await started(cluster);
    const sent = send(0, ['a']);
    await vi.advanceTimersByTimeAsync(0);
    const { KafkaSdkError } = await import('@org/kafka-core');
    sender.close(new KafkaSdkError('PRODUCER_CLOSED', 'closed'));
    await expect(sent).rejects.toMatchObject({ code: 'PRODUCER_CLOSED' });
  });
});
