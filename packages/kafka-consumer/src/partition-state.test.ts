import { describe, expect, it } from 'vitest';
import { PartitionStates } from './partition-state.js';

/** PartitionStates over a driver that records what it was told. */
function statesWithLog() {
  const log: string[] = [];
  const states = new PartitionStates({
    pause: (topic, partition) => log.push(`pause ${topic}/${partition}`),
    resume: (topic, partition) => log.push(`resume ${topic}/${partition}`),
  });
  return { states, log };
}

// Node runs timers in the order they are due: a 1 ms timer armed before this 5 ms one has
// fired by the time it resolves, unless it was cleared. No wall-clock budget is involved.
const afterLaterTimer = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('PartitionStates pausing', () => {
  it('pauses on the first reason and resumes when the last is gone', () => {
    const { states, log } = statesWithLog();
    states.pause('t', 0, 'retry-not-due');
    states.pause('t', 0, 'user');
    states.resume('t', 0, 'retry-not-due');
    expect(log).toEqual(['pause t/0']);
    expect(states.of('t', 0).isPaused('user')).toBe(true);
    states.resume('t', 0, 'user');
    expect(log).toEqual(['pause t/0', 'resume t/0']);
    expect(states.of('t', 0).isPaused()).toBe(false);
  });

  it('keeps partitions and topics apart, and ignores removing an absent reason', () => {
    const { states, log } = statesWithLog();
    states.pause('t', 0, 'user');
    states.resume('t', 0, 'parking-full');
    states.resume('t', 1, 'user');
    states.resume('u', 0, 'user');
    expect(log).toEqual(['pause t/0']);
    expect(states.find('t', 1)).toBeUndefined();
    expect(states.of('t', 0).isPaused()).toBe(true);
  });

  it('resumeAll lifts one reason everywhere, resuming only what it alone held', () => {
    const { states, log } = statesWithLog();
    states.pause('t', 0, 'outage');
    states.pause('t', 1, 'outage');
    states.pause('t', 1, 'user');
    states.pause('u', 0, 'retry-not-due');
    states.resumeAll('outage');
    expect(log).toEqual(['pause t/0', 'pause t/1', 'pause u/0', 'resume t/0']);
    expect(states.of('t', 1).isPaused('user')).toBe(true);
    expect(states.of('u', 0).isPaused('retry-not-due')).toBe(true);
  });

  it('adding the same reason twice needs one removal', () => {
    const { states, log } = statesWithLog();
    states.pause('t', 0, 'user');
    states.pause('t', 0, 'user');
    states.resume('t', 0, 'user');
    expect(log).toEqual(['pause t/0', 'resume t/0']);
  });

  it('resumes nothing once frozen by stop(), and clears due timers', async () => {
    const { states, log } = statesWithLog();
    states.pause('t', 0, 'retry-not-due');
    let fired = false;
    states.of('t', 0).dueTimer = setTimeout(() => (fired = true), 1);
    states.freeze();
    expect(states.of('t', 0).dueTimer).toBeUndefined();
    states.resume('t', 0, 'retry-not-due');
    expect(log).toEqual(['pause t/0']);
    await afterLaterTimer();
    expect(fired).toBe(false);
  });
});

describe('PartitionState offsets', () => {
  it('commits up to the first unfinished record, once per new point', () => {
    const { states } = statesWithLog();
    const s = states.of('t', 0);
    expect(s.toCommit()).toBeUndefined();
    s.begin('5');
    s.begin('6');
    s.begin('7');
    s.finish('6');
    expect(s.toCommit()).toBeUndefined(); // 5 is not finished: nothing may be committed
    s.finish('5');
    expect(s.toCommit()).toBe(7n);
    s.markCommitted(7n);
    expect(s.toCommit()).toBeUndefined();
    s.finish('7');
    expect(s.toCommit()).toBe(8n);
    expect(s.inFlight).toBe(0);
  });

  it('forgets unfinished records from an offset on, to be delivered again', () => {
    const { states } = statesWithLog();
    const s = states.of('t', 0);
    s.begin('1');
    s.begin('2');
    s.begin('3');
    s.finish('1');
    s.forgetFrom('2');
    expect(s.inFlight).toBe(0);
    expect(s.toCommit()).toBe(2n);
    s.begin('2'); // delivered again
    expect(s.inFlight).toBe(1);
  });
});

describe('PartitionStates after a join', () => {
  it('starts an owned partition over, keeps its keys in retry and lifts a full parking', () => {
    const { states, log } = statesWithLog();
    const s = states.of('t', 0);
    s.begin('10');
    s.finish('10');
    s.markCommitted(11n);
    s.begin('11');
    s.parking.hold('k', '3');
    s.parking.park('k', { record: {} as never, parent: {} as never });
    states.pause('t', 0, 'parking-full');
    states.joined({ t: [0] });
    expect(s.inFlight).toBe(0);
    expect(s.toCommit()).toBeUndefined();
    expect(s.parking.size).toBe(0);
    expect(s.parking.blocked('k')).toBe(true); // its record in the retry topic still holds it
    expect(s.isPaused()).toBe(false);
    expect(log).toEqual(['pause t/0', 'resume t/0']);
    s.begin('5'); // delivered again from the committed offset: a lower offset is accepted
  });

  it("forgets a partition now another member's, resuming what this member paused", async () => {
    const { states, log } = statesWithLog();
    states.pause('t.retry.1', 0, 'retry-not-due');
    let fired = false;
    states.of('t.retry.1', 0).dueTimer = setTimeout(() => (fired = true), 1);
    states.of('t', 1).begin('4');
    states.joined({ t: [0] });
    expect(states.find('t.retry.1', 0)).toBeUndefined();
    expect(states.find('t', 1)).toBeUndefined();
    expect(log).toEqual(['pause t.retry.1/0', 'resume t.retry.1/0']);
    await afterLaterTimer();
    expect(fired).toBe(false);
  });

  it("keeps the user's pause of a partition it no longer owns", () => {
    const { states, log } = statesWithLog();
    states.pause('t', 1, 'user');
    states.pause('t', 1, 'parking-full');
    states.joined({ t: [0] });
    expect(states.of('t', 1).isPaused('user')).toBe(true);
    expect(states.of('t', 1).isPaused('parking-full')).toBe(false);
    expect(log).toEqual(['pause t/1']);
    states.resume('t', 1, 'user');
    expect(log).toEqual(['pause t/1', 'resume t/1']);
  });
});
