import { KafkaSdkError, silentLogger } from '@org/kafka-core';
import { describe, expect, it } from 'vitest';
import { BatchControl } from './batch-control.js';
import { NonRetriableError } from './error-classification.js';
import { retryHeaderNames } from './retry-headers.js';
import {
  fetchedBack,
  harnesses,
  message,
  recordSpans,
  source,
  testPolicy,
  waitUntil,
  type Outcome,
} from './pipeline-fixture.js';

const retry1 = `${source}.retry.1`;
const retry2 = `${source}.retry.2`;
const dlq = `${source}.dlq`;

const spans = recordSpans();
const harness = harnesses();

const fail = (what = 'warehouse API down') => new Error(what);

describe('the record pipeline, one record at a time', () => {
  it('processes a batch: every record handled once, resolved, committable past the last', async () => {
    const h = harness();
    const resolved = await h.run(source, 0, [message(0, 'a'), message(1, 'b'), message(2, 'a')]);
    expect(h.calls.map((c) => [c.key, c.offset, c.attempt])).toEqual([
      ['a', '0', 1],
      ['b', '1', 1],
      ['a', '2', 1],
    ]);
    expect(resolved).toEqual(['0', '1', '2']);
    expect(h.outcomes.map((o) => o.kind)).toEqual(['processed', 'processed', 'processed']);
    expect(h.commitPoint(source, 0)).toBe(3n);
    expect(h.sent).toEqual([]);
  });

  it('retries in place: a record failing twice succeeds on its third attempt', async () => {
    let calls = 0;
    const h = harness({ handler: () => (++calls < 3 ? fail() : 'ok') });
    const resolved = await h.run(source, 0, [message(7, 'a')]);
    expect(h.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(resolved).toEqual(['7']);
    expect(h.outcomes).toMatchObject([{ kind: 'processed', record: { attempt: 3 } }]);
    expect(h.sent).toEqual([]);
    expect(h.commitPoint(source, 0)).toBe(8n);
  });

  it('hands a record that fails every attempt in place to the first retry topic', async () => {
    const h = harness({ handler: () => fail() });
    const resolved = await h.run(source, 2, [message(5, 'a', { trace: 'x' })]);
    expect(h.calls).toHaveLength(testPolicy.attempts);
    expect(resolved).toEqual(['5']);
    expect(h.commitPoint(source, 2)).toBe(6n); // durably handed off: finished here
    const [sent] = h.sentTo(retry1);
    expect(sent!.message.partition).toBe(2);
    expect(sent!.message.headers).toMatchObject({ trace: 'x' });
    expect(h.outcomes).toMatchObject([
      { kind: 'retry-scheduled', topic: retry1, dueAt: h.now + testPolicy.retryTopicDelaysMs[0]! },
    ]);
  });

  it('pauses a retry partition until its record is due, then handles it with its attempt count', async () => {
    let failing = true;
    const h = harness({
      policy: { ...testPolicy, retryTopicDelaysMs: [20, 40] },
      handler: () => (failing ? fail() : 'ok'),
    });
    await h.run(source, 1, [message(5, 'a')]);
    failing = false;
    const back = fetchedBack(h.sentTo(retry1)[0]!, 40);
    h.now += 10; // due in 10 ms of the harness clock
    expect(await h.run(retry1, 1, [back])).toEqual([]);
    expect(h.calls).toHaveLength(3);
    expect(h.fetchLog).toEqual([`pause ${retry1}/1`]);
    // A second record of the same partition does not arm a second timer.
    expect(await h.run(retry1, 1, [back])).toEqual([]);
    h.now += 10;
    await waitUntil(() => h.fetchLog.length === 2);
    expect(h.fetchLog).toEqual([`pause ${retry1}/1`, `resume ${retry1}/1`]);
    expect(await h.run(retry1, 1, [back])).toEqual(['40']);
    expect(h.calls.at(-1)).toEqual({ key: 'a', offset: '5', attempt: 4, from: `${retry1}/1@40` });
    expect(h.outcomes.at(-1)).toMatchObject({
      kind: 'processed',
      record: { topic: source, partition: 1, offset: '5', attempt: 4 },
    });
    expect(h.commitPoint(retry1, 1)).toBe(41n);
  });

  it('walks the tier chain without in-place retries, then dead-letters as exhausted', async () => {
    const h = harness({ handler: () => fail() });
    await h.run(source, 0, [message(3, 'a')]);
    h.now += 1_000;
    await h.run(retry1, 0, [fetchedBack(h.sentTo(retry1)[0]!, 10)]);
    expect(h.calls).toHaveLength(4); // one attempt on the retry topic
    expect(h.sentTo(retry2)).toHaveLength(1);
    h.now += 10_000;
    await h.run(retry2, 0, [fetchedBack(h.sentTo(retry2)[0]!, 20)]);
    expect(h.calls.map((c) => c.attempt)).toEqual([1, 2, 3, 4, 5]);
    const [dead] = h.sentTo(dlq);
    expect(dead).toBeDefined();
    expect(h.outcomes.map((o) => o.kind)).toEqual([
      'retry-scheduled',
      'retry-scheduled',
      'dead-lettered',
    ]);
    expect(h.outcomes.at(-1)).toMatchObject({ reason: 'exhausted', record: { offset: '3' } });
    expect(h.commitPoint(retry2, 0)).toBe(21n);
  });

  it('dead-letters a non-retriable failure at once, without retrying', async () => {
    const h = harness({ handler: () => new NonRetriableError('order has no lines') });
    expect(await h.run(source, 0, [message(9, 'a')])).toEqual(['9']);
    expect(h.calls).toHaveLength(1);
    expect(h.sentTo(retry1)).toEqual([]);
    expect(h.outcomes).toMatchObject([
      { kind: 'dead-lettered', reason: 'non-retriable', topic: dlq },
    ]);
    expect(h.commitPoint(source, 0)).toBe(10n);
  });

  it('an SDK error not about the record stops the consumer and dead-letters nothing', async () => {
    const refused = new KafkaSdkError('AUTHENTICATION_FAILED', 'the registry refused user "svc"');
    const h = harness({ handler: (r) => (r.offset === '1' ? refused : 'ok') });
    const resolved = await h.run(source, 0, [message(0, 'a'), message(1, 'b'), message(2, 'c')]);
    expect(resolved).toEqual(['0']);
    expect(h.calls.map((c) => c.offset)).toEqual(['0', '1']); // not retried, c@2 not taken
    expect(h.consumerFaults).toEqual([refused]);
    expect(h.sent).toEqual([]);
    expect(h.commitPoint(source, 0)).toBe(1n);
  });

  it("an error saying retriable: false is the record's fault: dead-lettered at once", async () => {
    const h = harness({
      handler: () => Object.assign(new Error('duplicate order'), { retriable: false }),
    });
    await h.run(source, 0, [message(0, 'a')]);
    expect(h.calls).toHaveLength(1);
    expect(h.outcomes).toMatchObject([{ kind: 'dead-lettered', reason: 'non-retriable' }]);
    expect(h.consumerFaults).toEqual([]);
  });

  it('opens one process span per handler call, with the attempt', async () => {
    let calls = 0;
    const h = harness({ handler: () => (++calls < 2 ? fail() : 'ok') });
    await h.run(source, 0, [message(0, 'a')]);
    const process = spans.getFinishedSpans().filter((s) => s.name === `process ${source}`);
    expect(process.map((s) => s.attributes['messaging.kafka.attempt'])).toEqual([1, 2]);
  });
});

describe('a record with malformed retry headers', () => {
  it('is dead-lettered with where it was read from and its own headers kept', async () => {
    const h = harness({ handler: () => fail() });
    await h.run(source, 2, [message(3, 'a', { trace: 'kept' })]);
    const written = h.sentTo(retry1)[0]!.message.headers;
    const broken = fetchedBack(
      {
        message: {
          ...h.sentTo(retry1)[0]!.message,
          headers: { ...written, [retryHeaderNames.attempt]: 'two' },
        },
      },
      12,
    );
    expect(await h.run(retry1, 2, [broken])).toEqual(['12']);
    expect(h.calls).toHaveLength(testPolicy.attempts); // none for the broken copy
    const [dead] = h.sentTo(dlq);
    expect(dead!.message.headers).toMatchObject({ trace: 'kept' });
    const outcome = h.outcomes.at(-1)!;
    expect(outcome).toMatchObject({
      kind: 'dead-lettered',
      reason: 'non-retriable',
      record: { topic: retry1, partition: 2, offset: '12', headers: { trace: 'kept' } },
    });
    expect((outcome as { error: Error }).error.message).toContain(retryHeaderNames.attempt);
    expect(h.commitPoint(retry1, 2)).toBe(13n);
  });
});

describe("keyOrdering 'preserve'", () => {
  /** A handler failing every call for keys in `failing`. */
  function failingKeys(failing: Set<string>) {
    return (r: { key: Buffer | null }) => (failing.has(r.key!.toString()) ? fail() : 'ok');
  }

  it('parks the later records of a key in retry and runs them after it, in order', async () => {
    const failing = new Set(['a']);
    const h = harness({ keyOrdering: 'preserve', handler: failingKeys(failing) });
    const resolved = await h.run(source, 0, [
      message(0, 'a'),
      message(1, 'a'),
      message(2, 'b'),
      message(3, 'a'),
    ]);
    expect(resolved).toEqual(['0', '1', '2', '3']); // fetched past, parked ones included
    expect(h.calls.map((c) => `${c.key}@${c.offset}`)).toEqual(['a@0', 'a@0', 'a@0', 'b@2']);
    expect(h.commitPoint(source, 0)).toBe(1n); // stays behind the parked a@1
    failing.clear();
    h.now += 1_000;
    await h.run(retry1, 0, [fetchedBack(h.sentTo(retry1)[0]!, 0)]);
    expect(h.calls.slice(4).map((c) => `${c.key}@${c.offset}`)).toEqual(['a@0', 'a@1', 'a@3']);
    expect(h.commitPoint(source, 0)).toBe(4n);
    expect(h.states.find(source, 0)!.parking.size).toBe(0);
  });

  it('stops draining when a parked record goes to a retry topic again, keeping the key held', async () => {
    // a@0 fails on the source topic and succeeds on the retry topic; a@1 fails every time.
    const h = harness({
      keyOrdering: 'preserve',
      handler: (r) => ((r.offset === '0' && r.attempt <= 3) || r.offset === '1' ? fail() : 'ok'),
    });
    await h.run(source, 0, [message(0, 'a'), message(1, 'a'), message(2, 'a')]);
    h.now += 1_000;
    await h.run(retry1, 0, [fetchedBack(h.sentTo(retry1)[0]!, 0)]);
    const originalOffsets = h
      .sentTo(retry1)
      .map((s) => s.message.headers[retryHeaderNames.originalOffset]?.toString());
    expect(originalOffsets).toEqual(['0', '1']);
    const { parking } = h.states.find(source, 0)!;
    expect(parking.size).toBe(1); // a@2 waits behind a@1 now
    expect(parking.blocked('a')).toBe(true);
    expect(h.commitPoint(source, 0)).toBe(2n);
  });

  it('pauses the partition when its parking is full and takes the record again later', async () => {
    const h = harness({
      keyOrdering: 'preserve',
      maxParkedPerPartition: 1,
      handler: (r) => (r.key!.toString() === 'a' ? fail() : 'ok'),
    });
    const resolved = await h.run(source, 0, [
      message(0, 'a'),
      message(1, 'a'),
      message(2, 'a'),
      message(3, 'b'),
    ]);
    expect(resolved).toEqual(['0', '1']); // a@2 would overflow the parking: not taken
    expect(h.fetchLog).toEqual([`pause ${source}/0`]);
    expect(h.calls.map((c) => c.offset)).toEqual(['0', '0', '0']);
  });

  it('a hand-off failing mid-drain leaves no record parked for good', async () => {
    // a@0 fails on the source topic and succeeds on the retry topic; a@1, drained after it,
    // fails its attempts and its hand-off to the retry topic fails twice (the cluster
    // refuses writes for a while).
    const h = harness({
      keyOrdering: 'preserve',
      handler: (r) => ((r.offset === '0' && r.attempt <= 3) || r.offset === '1' ? fail() : 'ok'),
    });
    await h.run(source, 0, [message(0, 'a'), message(1, 'a')]);
    h.now += 1_000;
    h.failingSends = 2;
    const resolved = await h.run(retry1, 0, [fetchedBack(h.sentTo(retry1)[0]!, 0)]);
    expect(resolved).toEqual(['0']);
    expect(h.failingSends).toBe(0);
    const { parking } = h.states.find(source, 0)!;
    expect(parking.size).toBe(0);
    expect(h.sentTo(retry1)).toHaveLength(2); // a@1 is in the retry topic now, holding the key
    expect(parking.blocked('a')).toBe(true);
    expect(h.commitPoint(source, 0)).toBe(2n);
  });

  it('a hand-off failing on the source topic is written again, not dropped or rethrown', async () => {
    const h = harness({ handler: (r) => (r.offset === '0' ? fail() : 'ok') });
    h.failingSends = 3;
    expect(await h.run(source, 0, [message(0, 'a'), message(1, 'b')])).toEqual(['0', '1']);
    expect(h.sentTo(retry1)).toHaveLength(1);
    expect(h.commitPoint(source, 0)).toBe(2n);
  });

  it('a hand-off still failing when the consumer stops leaves the record unfinished', async () => {
    const h = harness({ handler: () => fail() });
    h.failingSends = Number.POSITIVE_INFINITY;
    const running = h.run(source, 0, [message(0, 'a'), message(1, 'b')]);
    await waitUntil(() => h.calls.length === 3);
    h.stopping.abort();
    expect(await running).toEqual([]);
    expect(h.sent).toEqual([]);
    expect(h.commitPoint(source, 0)).toBeUndefined();
  });
});

describe('eachBatch', () => {
  it('hands the whole batch to one call and resolves every record', async () => {
    const sizes: number[] = [];
    const h = harness({ batchHandler: (records) => (sizes.push(records.length), 'ok') });
    const resolved = await h.run(source, 0, [message(0, 'a'), message(1, 'b'), message(2, 'c')]);
    expect(sizes).toEqual([3]);
    expect(resolved).toEqual(['0', '1', '2']);
    expect(h.outcomes.map((o) => o.kind)).toEqual(['processed', 'processed', 'processed']);
    expect(h.commitPoint(source, 0)).toBe(3n);
  });

  it('cuts the batch into maxBatchRecords chunks', async () => {
    const sizes: number[] = [];
    const h = harness({
      maxBatchRecords: 2,
      batchHandler: (records) => (sizes.push(records.length), 'ok'),
    });
    await h.run(source, 0, [message(0, 'a'), message(1, 'b'), message(2, 'c')]);
    expect(sizes).toEqual([2, 1]);
  });

  it('retries a failing chunk in place, then falls back to single records', async () => {
    const h = harness({
      batchHandler: (records) =>
        records.some((r) => r.key!.toString() === 'bad') ? fail('bad record in batch') : 'ok',
    });
    const resolved = await h.run(source, 0, [message(0, 'a'), message(1, 'bad'), message(2, 'c')]);
    // Three calls with the chunk, then one per record; the bad one goes to a retry topic.
    const perCall = h.calls.map((c) => c.offset);
    expect(perCall.slice(0, 9)).toEqual(['0', '1', '2', '0', '1', '2', '0', '1', '2']);
    expect(perCall.slice(9)).toEqual(['0', '1', '2']);
    expect(resolved).toEqual(['0', '1', '2']);
    expect(h.sentTo(retry1)).toHaveLength(1);
    expect(h.outcomes.map((o) => o.kind)).toEqual(['processed', 'retry-scheduled', 'processed']);
    expect(h.commitPoint(source, 0)).toBe(3n);
  });

  it('a batch call failing with an SDK error not about the records stops the consumer', async () => {
    const refused = new KafkaSdkError('AUTHENTICATION_FAILED', 'SASL refused user "svc"');
    const h = harness({ batchHandler: () => refused });
    expect(await h.run(source, 0, [message(0, 'a'), message(1, 'b')])).toEqual([]);
    expect(h.consumerFaults).toEqual([refused]);
    expect(h.calls).toHaveLength(2); // one call with both records
    expect(h.sent).toEqual([]);
    expect(h.commitPoint(source, 0)).toBeUndefined();
  });

  it('opens a process span per handler call, linked to each record, as eachMessage does', async () => {
    let calls = 0;
    const h = harness({ batchHandler: () => (++calls < 2 ? fail() : 'ok') });
    const traced = (offset: number, spanId: string) =>
      message(offset, 'a', {
        traceparent: `00-0af7651916cd43dd8448eb211c80319c-${spanId}-01`,
      });
    await h.run(source, 0, [traced(0, 'b7ad6b7169203331'), traced(1, '00f067aa0ba902b7')]);
    const process = spans.getFinishedSpans().filter((s) => s.name === `process ${source}`);
    expect(process).toHaveLength(2);
    expect(process.map((s) => s.attributes['messaging.kafka.attempt'])).toEqual([1, 2]);
    expect(process[0]!.attributes['messaging.batch.message_count']).toBe(2);
    expect(process[0]!.status.code).toBe(2); // ERROR
    expect(process[0]!.links.map((l) => l.context.spanId)).toEqual([
      'b7ad6b7169203331',
      '00f067aa0ba902b7',
    ]);
  });
});

describe('a batch that must end early', () => {
  it('a rebalance mid-handler ends the batch after the running record, leaving the rest', async () => {
    let release!: () => void;
    const inHandler = new Promise<void>((resolve) => (release = resolve));
    let rebalanced = false;
    const h = harness({
      handler: async (r): Promise<Outcome> => {
        if (r.offset === '0') {
          release();
          await waitUntil(() => rebalanced);
        }
        return 'ok';
      },
    });
    const ctl = new BatchControl(
      () =>
        Promise.reject(Object.assign(new Error('rebalancing'), { type: 'REBALANCE_IN_PROGRESS' })),
      1,
      h.stopping.signal,
      silentLogger,
    );
    const running = h.run(source, 0, [message(0, 'a'), message(1, 'b')], ctl);
    await inHandler;
    await waitUntil(() => ctl.ending);
    rebalanced = true;
    expect(await running).toEqual(['0']);
    expect(ctl.rebalance).toBeDefined();
    expect(h.calls.map((c) => c.offset)).toEqual(['0']);
    expect(h.commitPoint(source, 0)).toBe(1n);
  });

  it('stop() during an in-place backoff abandons the record: unresolved, not committed', async () => {
    const h = harness({
      policy: { ...testPolicy, initialDelayMs: 60_000, maxDelayMs: 60_000 },
      handler: () => fail(),
    });
    // A random draw of 0 would make the backoff 0 ms; the policy's ceiling is 60 s.
    const running = h.run(source, 0, [message(0, 'a'), message(1, 'b')]);
    await waitUntil(() => h.calls.length === 1);
    h.stopping.abort();
    expect(await running).toEqual([]);
    expect(h.calls).toHaveLength(1);
    expect(h.sent).toEqual([]);
    expect(h.commitPoint(source, 0)).toBeUndefined();
  });
});
