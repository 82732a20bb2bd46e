import { describe, expect, it } from 'vitest';
import { NonRetriableError } from './error-classification.js';
import type { OutagePolicy } from './outage-gate.js';
import {
  fetchedBack,
  harnesses,
  message,
  recordSpans,
  source,
  waitUntil,
  type Outcome,
  type PipelineHarness,
} from './pipeline-fixture.js';

const retry1 = `${source}.retry.1`;
const retry2 = `${source}.retry.2`;
const dlq = `${source}.dlq`;

const spans = recordSpans();
const harness = harnesses();

/** Three failing keys make an outage; probes every few ms (real timers, no wall-clock budget). */
const outage: OutagePolicy = {
  distinctKeys: 3,
  windowMs: 10_000,
  failureRatio: 0.9,
  probeIntervalMs: 4,
  maxProbeIntervalMs: 8,
};

const fail = () => new Error('warehouse API: connection refused');

const keyed = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => message(from + i, `k${from + i}`));

/** A dependency that is down until `up()`; every handler call fails while it is. */
function dependency() {
  let down = true;
  return {
    handler: (): Outcome => (down ? fail() : 'ok'),
    up: () => {
      down = false;
    },
  };
}

/** Final outcomes per original offset: every record must have exactly one. */
function finals(h: PipelineHarness): Map<string, string[]> {
  const byOffset = new Map<string, string[]>();
  for (const o of h.outcomes) {
    if (o.kind === 'retry-scheduled') continue;
    byOffset.set(o.record.offset, [...(byOffset.get(o.record.offset) ?? []), o.kind]);
  }
  return byOffset;
}

describe('outage mode in the record pipeline', () => {
  it('holds records once failures span many keys: nothing dead-lettered, each processed once after a probe succeeds', async () => {
    const dep = dependency();
    const h = harness({ outage, handler: dep.handler });
    const running = h.run(source, 0, keyed(0, 10));
    await waitUntil(() => h.outageLog.includes('started'));
    // k0 and k1 went to the first retry topic before the third key made it an outage.
    expect(h.sentTo(retry1).map((s) => s.message.key?.toString())).toEqual(['k0', 'k1']);
    expect(h.fetchLog).toEqual([`pause ${source}/0`]);
    await waitUntil(() => h.outageLog.filter((e) => e === 'probe failed').length >= 2);
    expect(h.commitPoint(source, 0)).toBe(2n); // held at k2, uncommitted
    dep.up();
    expect(await running).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(h.outageLog.at(-2)).toBe('probe succeeded');
    expect(h.outageLog.at(-1)).toBe('ended');
    expect(h.fetchLog).toEqual([`pause ${source}/0`, `resume ${source}/0`]);
    expect(h.sentTo(dlq)).toEqual([]);
    expect(h.sentTo(retry1)).toHaveLength(2);
    const processed = h.outcomes.filter((o) => o.kind === 'processed').map((o) => o.record.offset);
    expect(processed).toEqual(['2', '3', '4', '5', '6', '7', '8', '9']);
    expect(h.commitPoint(source, 0)).toBe(10n);
    // k2's calls: three before the outage counted against it, then the probes; each numbered.
    const k2 = h.calls.filter((c) => c.key === 'k2').map((c) => c.attempt);
    expect(k2).toEqual(k2.map((_, i) => i + 1));
    // No record after k2 was handed to the handler while the dependency was down.
    expect(h.calls.filter((c) => Number(c.offset) > 2).map((c) => c.offset)).toEqual(
      processed.slice(1),
    );
  });

  it('without outage mode the same failures move every record on to the retry topics', async () => {
    const dep = dependency();
    const h = harness({ handler: dep.handler });
    expect(await h.run(source, 0, keyed(0, 10))).toHaveLength(10);
    expect(h.sentTo(retry1)).toHaveLength(10);
    expect(h.outcomes.filter((o) => o.kind === 'processed')).toEqual([]);
  });

  it('holds a record from a retry topic instead of moving it to the next tier', async () => {
    const dep = dependency();
    const h = harness({ outage, handler: dep.handler });
    const first = h.run(source, 0, keyed(0, 3));
    await waitUntil(() => h.outageLog.includes('started'));
    const [k0, k1] = h.sentTo(retry1);
    h.now += 60_000; // both are due
    const retried = h.run(retry1, 0, [fetchedBack(k0!, 0), fetchedBack(k1!, 1)]);
    await waitUntil(() => h.fetchLog.includes(`pause ${retry1}/0`));
    dep.up();
    expect(await first).toEqual(['0', '1', '2']);
    expect(await retried).toEqual(['0', '1']);
    expect(h.sentTo(retry2)).toEqual([]);
    expect(h.sentTo(dlq)).toEqual([]);
    expect([...finals(h).entries()].sort()).toEqual([
      ['0', ['processed']],
      ['1', ['processed']],
      ['2', ['processed']],
    ]);
  });

  it('a record that fails for its own reason while it probes goes to the dead-letter topic; another probes', async () => {
    const dep = dependency();
    const h = harness({
      outage,
      handler: (r) => {
        // k3 is bad whether the dependency is up or not.
        if (r.key?.toString() === 'k3' && r.attempt > 1) return new NonRetriableError('no orderId');
        return dep.handler();
      },
    });
    // Two partitions, so two records are held and the probe can rotate between them.
    const p0 = h.run(source, 0, keyed(0, 3));
    await waitUntil(() => h.outageLog.includes('started'));
    const p1 = h.run(source, 1, [message(3, 'k3'), message(4, 'k4')]);
    await waitUntil(() => h.outageLog.includes('probe inconclusive'));
    expect(h.sentTo(dlq).map((s) => s.message.key?.toString())).toEqual(['k3']);
    dep.up();
    expect(await p0).toEqual(['0', '1', '2']);
    expect(await p1).toEqual(['3', '4']);
    expect(finals(h).get('3')).toEqual(['dead-lettered']);
    expect(finals(h).get('4')).toEqual(['processed']);
  });

  it('a record arriving during an outage is held before its first call', async () => {
    const dep = dependency();
    const h = harness({ outage, handler: dep.handler });
    const p0 = h.run(source, 0, keyed(0, 3));
    await waitUntil(() => h.outageLog.includes('started'));
    const before = h.calls.length;
    const p1 = h.run(source, 1, [message(20, 'k20')]);
    await waitUntil(() => h.fetchLog.includes(`pause ${source}/1`));
    // Its only calls are probes: none before it was held.
    expect(h.calls.slice(before).every((c) => c.key === 'k2' || c.key === 'k20')).toBe(true);
    dep.up();
    await Promise.all([p0, p1]);
    expect(finals(h).get('20')).toEqual(['processed']);
  });

  it('stop() during an outage leaves the held record unfinished and uncommitted', async () => {
    const dep = dependency();
    const h = harness({ outage, handler: dep.handler });
    const running = h.run(source, 0, keyed(0, 5));
    await waitUntil(() => h.outageLog.includes('started'));
    h.stopping.abort();
    expect(await running).toEqual(['0', '1']);
    expect(h.commitPoint(source, 0)).toBe(2n);
    expect(h.outcomes.filter((o) => o.kind === 'processed')).toEqual([]);
    expect(h.sentTo(dlq)).toEqual([]);
  });

  it('a rejoin fetches a partition the outage paused again, so a record of it can probe', async () => {
    const dep = dependency();
    const h = harness({ outage, handler: dep.handler });
    const ctl = h.control();
    const running = h.run(source, 0, keyed(0, 3), ctl);
    await waitUntil(() => h.outageLog.includes('started'));
    // The batch ends (as on a rebalance); the partition stays paused until the member rejoins.
    h.stopping.abort();
    await running;
    expect(h.states.find(source, 0)?.isPaused('outage')).toBe(true);
    h.states.joined({ [source]: [0] });
    expect(h.states.find(source, 0)?.isPaused()).toBe(false);
    expect(h.fetchLog.at(-1)).toBe(`resume ${source}/0`);
  });

  it('in eachBatch mode, an outage holds the chunk record by record; nothing goes to a retry topic after it began', async () => {
    const dep = dependency();
    const h = harness({ outage, batchHandler: () => dep.handler() });
    const running = h.run(source, 0, keyed(0, 6));
    await waitUntil(() => h.outageLog.includes('started'));
    const handedOff = h.sentTo(retry1).length;
    await waitUntil(() => h.outageLog.filter((e) => e === 'probe failed').length >= 2);
    dep.up();
    expect(await running).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(h.sentTo(retry1)).toHaveLength(handedOff);
    expect(h.sentTo(dlq)).toEqual([]);
    for (let offset = handedOff; offset < 6; offset++) {
      expect(finals(h).get(String(offset))).toEqual(['processed']);
    }
  });

  it('marks the span of the call that started the outage and every probe span', async () => {
    const dep = dependency();
    const h = harness({ outage, handler: dep.handler });
    const running = h.run(source, 0, keyed(0, 3));
    await waitUntil(() => h.outageLog.includes('probe failed'));
    dep.up();
    await running;
    const events = spans
      .getFinishedSpans()
      .flatMap((s) =>
        s.events
          .filter((e) => e.name.startsWith('outage'))
          .map((e) => [
            e.name,
            e.attributes?.['messaging.kafka.outage.probe_result'] ??
              e.attributes?.['messaging.kafka.outage.distinct_keys'],
          ]),
      );
    expect(events[0]).toEqual(['outage started', 3]);
    expect(
      events.slice(1, -1).every(([name, result]) => name === 'outage probe' && result === 'failed'),
    ).toBe(true);
    expect(events.at(-1)).toEqual(['outage probe', 'succeeded']);
  });

  it('failures of retried records do not start an outage: a retry topic holds records that failed before', async () => {
    const h = harness({ outage: { ...outage, distinctKeys: 20 }, handler: () => fail() });
    await h.run(source, 0, keyed(0, 10));
    expect(h.outageLog).toEqual([]);
    h.now += 60_000;
    const strict = harness({ outage, handler: () => fail() });
    strict.now = h.now;
    const retried = h.sentTo(retry1).map((s, i) => fetchedBack(s, i));
    expect(await strict.run(retry1, 0, retried)).toHaveLength(10);
    expect(strict.outageLog).toEqual([]);
    expect(strict.sentTo(retry2)).toHaveLength(10);
  });

  it('successes keep a run of bad records from looking like an outage', async () => {
    const h = harness({
      outage,
      handler: (r) => (Number(r.offset) % 4 === 0 ? new Error('bad record') : 'ok'),
    });
    await h.run(source, 0, keyed(0, 40));
    expect(h.outageLog).toEqual([]);
    expect(h.sentTo(retry1)).toHaveLength(10);
  });
});
