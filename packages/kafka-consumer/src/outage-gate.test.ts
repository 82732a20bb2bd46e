import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutageGate, type HoldResult, type OutageHooks, type ProbeResult } from './outage-gate.js';

const policy = {
  distinctKeys: 2,
  windowMs: 1_000,
  failureRatio: 0.9,
  probeIntervalMs: 100,
  maxProbeIntervalMs: 400,
};

interface Log {
  readonly events: string[];
  readonly hooks: OutageHooks;
}

function log(): Log {
  const events: string[] = [];
  return {
    events,
    hooks: {
      started: (evidence) => events.push(`started ${evidence.distinctKeys} keys`),
      probed: (result, probes) => events.push(`probe ${probes} ${result}`),
      ended: ({ probes }) => events.push(`ended after ${probes} probes`),
    },
  };
}

/** A gate whose jitter draws 0.5: each probe waits three quarters of its interval. */
function gate(l: Log): OutageGate {
  return new OutageGate(policy, l.hooks, Date.now, () => 0.5);
}

function trip(g: OutageGate): void {
  g.failed('a', new Error('down'));
  expect(g.failed('b', new Error('down'))).toBeDefined();
  expect(g.active).toBe(true);
}

/** A held record whose probes answer from `answers`, in order. */
function held(g: OutageGate, answers: ProbeResult[], signal = new AbortController().signal) {
  const probes: number[] = [];
  let settled: HoldResult | undefined;
  const result = g
    .hold(signal, () => {
      probes.push(Date.now());
      return Promise.resolve(answers.shift() ?? 'failed');
    })
    .then((r) => (settled = r));
  return { probes, result, settled: () => settled };
}

beforeEach(() => vi.useFakeTimers({ now: 1_700_000_000_000 }));
afterEach(() => vi.useRealTimers());

describe('OutageGate', () => {
  it('is inactive until the detector trips, and lets a record through at once then', async () => {
    const l = log();
    const g = gate(l);
    expect(g.active).toBe(false);
    expect(g.failed('a', new Error('down'))).toBeUndefined();
    await expect(
      g.hold(new AbortController().signal, () => Promise.resolve('failed')),
    ).resolves.toBe('recovered');
    expect(l.events).toEqual([]);
  });

  it('probes with one held record after the interval, and ends the outage when it succeeds', async () => {
    const l = log();
    const g = gate(l);
    trip(g);
    const first = held(g, ['succeeded']);
    const second = held(g, []);
    await vi.advanceTimersByTimeAsync(74);
    expect(first.probes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await first.result).toBe('probed');
    expect(await second.result).toBe('recovered');
    expect(second.probes).toEqual([]);
    expect(g.active).toBe(false);
    expect(l.events).toEqual(['started 2 keys', 'probe 1 succeeded', 'ended after 1 probes']);
  });

  it('doubles the wait after each failed probe up to the maximum, rotating the probing record', async () => {
    const l = log();
    const g = gate(l);
    trip(g);
    const start = Date.now();
    const a = held(g, ['failed', 'failed', 'succeeded']);
    const b = held(g, ['failed', 'failed']);
    await vi.advanceTimersByTimeAsync(75 + 150 + 300 + 300 + 300);
    // a, b, a, b, a: intervals of 100, 200, 400, 400 (the cap), 400, three quarters of each.
    expect(a.probes.map((t) => t - start)).toEqual([75, 525, 1_125]);
    expect(b.probes.map((t) => t - start)).toEqual([225, 825]);
    expect(await a.result).toBe('probed');
    expect(await b.result).toBe('recovered');
    expect(l.events.at(-1)).toBe('ended after 5 probes');
  });

  it('waits at least half the interval with jitter, never less', async () => {
    const l = log();
    const g = new OutageGate(policy, l.hooks, Date.now, () => 0);
    trip(g);
    const a = held(g, ['succeeded']);
    await vi.advanceTimersByTimeAsync(49);
    expect(a.probes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await a.result).toBe('probed');
  });

  it('lets an inconclusive probe (the record failed for its own reason) leave and probes the next at once', async () => {
    const l = log();
    const g = gate(l);
    trip(g);
    const bad = held(g, ['inconclusive']);
    const good = held(g, ['succeeded']);
    await vi.advanceTimersByTimeAsync(75);
    expect(await bad.result).toBe('probed');
    expect(await good.result).toBe('probed');
    expect(good.probes).toEqual(bad.probes);
    expect(l.events).toEqual([
      'started 2 keys',
      'probe 1 inconclusive',
      'probe 2 succeeded',
      'ended after 2 probes',
    ]);
  });

  it('probes at once with the next record held when the probe time came with none held', async () => {
    const l = log();
    const g = gate(l);
    trip(g);
    await vi.advanceTimersByTimeAsync(5_000);
    const late = held(g, ['succeeded']);
    await vi.advanceTimersByTimeAsync(0);
    expect(await late.result).toBe('probed');
    expect(late.probes).toEqual([Date.now()]);
  });

  it('lets a held record go when its batch ends, and never probes with it', async () => {
    const l = log();
    const g = gate(l);
    trip(g);
    const ending = new AbortController();
    const gone = held(g, ['succeeded'], ending.signal);
    const stays = held(g, ['succeeded']);
    ending.abort();
    expect(await gone.result).toBe('ended');
    await vi.advanceTimersByTimeAsync(75);
    expect(gone.probes).toEqual([]);
    expect(await stays.result).toBe('probed');
    await expect(g.hold(ending.signal, () => Promise.resolve('succeeded'))).resolves.toBe(
      'recovered',
    );
  });

  it('refuses a record whose batch has already ended', async () => {
    const g = gate(log());
    trip(g);
    const ended = new AbortController();
    ended.abort();
    await expect(g.hold(ended.signal, () => Promise.resolve('succeeded'))).resolves.toBe('ended');
  });

  it('lets a failed probe whose batch ended meanwhile leave as ended', async () => {
    const g = gate(log());
    trip(g);
    const ending = new AbortController();
    let release!: (r: ProbeResult) => void;
    const result = g.hold(ending.signal, () => new Promise<ProbeResult>((r) => (release = r)));
    await vi.advanceTimersByTimeAsync(75);
    ending.abort(); // during its probe: it stays until the probe settles
    release('failed');
    await expect(result).resolves.toBe('ended');
    expect(g.active).toBe(true);
  });

  it('does not trip again while an outage is on, and detects afresh after it ended', async () => {
    const l = log();
    const g = gate(l);
    trip(g);
    expect(g.failed('c', new Error('down'))).toBeUndefined();
    const a = held(g, ['succeeded']);
    await vi.advanceTimersByTimeAsync(75);
    await a.result;
    // The window was reset: one more key alone does not start another outage.
    expect(g.failed('c', new Error('down'))).toBeUndefined();
    expect(g.failed('d', new Error('down'))).toBeDefined();
    expect(l.events.filter((e) => e.startsWith('started'))).toHaveLength(2);
  });

  it('stops probing when closed; held records leave as their batches end', async () => {
    const g = gate(log());
    trip(g);
    const ending = new AbortController();
    const a = held(g, ['succeeded'], ending.signal);
    g.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(a.probes).toEqual([]);
    ending.abort();
    expect(await a.result).toBe('ended');
    expect(g.failed('x', new Error('down'))).toBeUndefined();
  });

  it('takes a probe callback that throws as inconclusive', async () => {
    const l = log();
    const g = gate(l);
    trip(g);
    const result = g.hold(new AbortController().signal, () => Promise.reject(new Error('bug')));
    await vi.advanceTimersByTimeAsync(75);
    await expect(result).resolves.toBe('probed');
    expect(l.events).toContain('probe 1 inconclusive');
  });
});
