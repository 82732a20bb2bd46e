import { jsonLogger, silentLogger } from '@org/kafka-core';
import { describe, expect, it } from 'vitest';
import { OffsetCommits, type OffsetToCommit } from './offset-commits.js';
import { PartitionStates } from './partition-state.js';

function setup(commitOffsets: (offsets: OffsetToCommit[]) => Promise<void>, rebalancing = false) {
  const states = new PartitionStates({ pause: () => undefined, resume: () => undefined });
  const warnings: string[] = [];
  const commits = new OffsetCommits(
    states,
    commitOffsets,
    () => rebalancing,
    jsonLogger('warn', (line) => warnings.push(line)),
  );
  return { states, commits, warnings };
}

/** Finishes offsets `from`..`to` of a partition. */
function finish(
  states: PartitionStates,
  topic: string,
  partition: number,
  from: number,
  to: number,
) {
  const state = states.of(topic, partition);
  for (let o = from; o <= to; o++) {
    state.begin(String(o));
    state.finish(String(o));
  }
}

describe('OffsetCommits', () => {
  it('commits each partition once per new point, and nothing when nothing moved', async () => {
    const sent: OffsetToCommit[][] = [];
    const { states, commits } = setup((o) => (sent.push(o), Promise.resolve()));
    finish(states, 't', 0, 0, 4);
    finish(states, 't', 1, 10, 10);
    await commits.commit('batch');
    await commits.commit('batch');
    finish(states, 't', 0, 5, 5);
    await commits.commit('interval');
    expect(sent).toEqual([
      [
        { topic: 't', partition: 0, offset: '5' },
        { topic: 't', partition: 1, offset: '11' },
      ],
      [{ topic: 't', partition: 0, offset: '6' }],
    ]);
  });

  it('runs one commit at a time, in the order asked', async () => {
    const order: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const { states, commits } = setup(async (o) => {
      const n = ++calls;
      order.push(`start ${n} ${o[0]!.offset}`);
      if (n === 1) await first;
      order.push(`end ${n}`);
    });
    finish(states, 't', 0, 0, 0);
    const a = commits.commit('batch');
    while (order.length === 0) await new Promise((resolve) => setImmediate(resolve));
    finish(states, 't', 0, 1, 1);
    const b = commits.commit('batch');
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['start 1 1']); // the second waits for the first
    release();
    await Promise.all([a, b]);
    expect(order).toEqual(['start 1 1', 'end 1', 'start 2 2', 'end 2']);
  });

  it('joins commits asked for while one waits: one more round trip, with the latest offsets', async () => {
    const sent: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const { states, commits } = setup(async (o) => {
      sent.push(o.map((c) => `${c.partition}:${c.offset}`).join(' '));
      if (sent.length === 1) await first;
    });
    finish(states, 't', 0, 0, 0);
    const inFlight = commits.commit('batch');
    while (sent.length === 0) await new Promise((resolve) => setImmediate(resolve));
    // Four batches end while the first commit is unanswered.
    const asked: Promise<void>[] = [];
    for (let o = 1; o <= 3; o++) {
      finish(states, 't', 0, o, o);
      asked.push(commits.commit('batch'));
    }
    finish(states, 't', 1, 10, 11);
    asked.push(commits.commit('batch'), commits.commit('interval'));
    expect(new Set(asked).size).toBe(1);
    release();
    await Promise.all([inFlight, ...asked]);
    expect(sent).toEqual(['0:1', '0:4 1:12']);
  });

  it('logs a failed commit and carries its offsets in the next one', async () => {
    const sent: OffsetToCommit[][] = [];
    let fail = true;
    const { states, commits, warnings } = setup((o) => {
      if (fail) return Promise.reject(new Error('NOT_COORDINATOR'));
      sent.push(o);
      return Promise.resolve();
    });
    finish(states, 't', 0, 0, 2);
    await commits.commit('batch');
    expect(warnings.join()).toContain('commit failed (batch)');
    fail = false;
    await commits.commit('interval');
    expect(sent).toEqual([[{ topic: 't', partition: 0, offset: '3' }]]);
  });

  it('a waiting interval commit joined by a batch commit is not skipped while the group rebalances', async () => {
    const sent: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    let rebalancing = false;
    const states = new PartitionStates({ pause: () => undefined, resume: () => undefined });
    const commits = new OffsetCommits(
      states,
      async (o) => {
        sent.push(o.map((c) => c.offset).join(' '));
        if (sent.length === 1) await first;
      },
      () => rebalancing,
      silentLogger,
    );
    finish(states, 't', 0, 0, 0);
    const inFlight = commits.commit('stop');
    while (sent.length === 0) await new Promise((resolve) => setImmediate(resolve));
    finish(states, 't', 0, 1, 1);
    const interval = commits.commit('interval');
    const batch = commits.commit('batch');
    rebalancing = true;
    release();
    await Promise.all([inFlight, interval, batch]);
    expect(sent).toEqual(['1', '2']);
  });

  it('skips an interval commit while the group rebalances, not a batch or stop commit', async () => {
    const reasons: string[] = [];
    const states = new PartitionStates({ pause: () => undefined, resume: () => undefined });
    let round = '';
    const commits = new OffsetCommits(
      states,
      () => (reasons.push(round), Promise.resolve()),
      () => true,
      silentLogger,
    );
    for (const [i, why] of (['interval', 'batch', 'stop'] as const).entries()) {
      round = why;
      finish(states, 't', 0, i * 10, i * 10 + 1);
      await commits.commit(why);
    }
    expect(reasons).toEqual(['batch', 'stop']);
  });
});
