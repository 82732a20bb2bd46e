import { describe, expect, it } from 'vitest';
import { FakePartitionLog } from './partition-log.fake.js';
import {
  PartitionSequencer,
  maxInFlightPerPartition,
  nextSequence,
  unsentBatch,
  type BatchAnswer,
  type ProducerIdentity,
  type SequencedBatch,
} from './partition-sequencer.js';
import { classifyProduceError } from './produce-errors.js';

interface TestBatch extends SequencedBatch {
  readonly id: number;
  readonly values: string[];
}

let ids = 0;
function batch(count = 2, deadline = 1_000_000): TestBatch {
  const id = ids++;
  return {
    ...unsentBatch(count, deadline),
    id,
    values: Array.from({ length: count }, (_, i) => `b${id}-r${i}`),
  };
}

const first: ProducerIdentity = { producerId: 1000n, producerEpoch: 0 };
const noWait = () => 0;
const written: BatchAnswer = { kind: 'written' };
const unknown: BatchAnswer = { kind: 'retry', maybeWritten: true };
const notLeader: BatchAnswer = { kind: 'retry', maybeWritten: false };
const outOfOrder: BatchAnswer = { kind: 'sequence-rejected' };

/** A sequencer whose leader has acknowledged one batch (sequences 0-1): it pipelines. */
function confirmed(): PartitionSequencer<TestBatch> {
  const s = new PartitionSequencer<TestBatch>(first);
  const b = batch(2);
  s.append(b);
  s.next(0);
  s.answer(b, written, 0, noWait);
  return s;
}

function drain(s: PartitionSequencer<TestBatch>, now = 0): TestBatch[] {
  const out: TestBatch[] = [];
  for (let b = s.next(now); b; b = s.next(now)) out.push(b);
  return out;
}

describe('nextSequence', () => {
  it('adds, and wraps past 2^31-1 to 0 as the broker does', () => {
    expect(nextSequence(0, 5)).toBe(5);
    expect(nextSequence(2_147_483_647, 1)).toBe(0);
    expect(nextSequence(2_147_483_640, 10)).toBe(2);
    expect(nextSequence(2_147_483_637, 10)).toBe(2_147_483_647);
  });
});

describe('PartitionSequencer', () => {
  it('numbers batches once, in order, at their first send', () => {
    const s = confirmed();
    const [a, b] = [batch(3), batch(2)];
    s.append(a);
    s.append(b);
    expect(a.baseSequence).toBe(-1);
    expect(drain(s)).toEqual([a, b]);
    expect([a.baseSequence, b.baseSequence]).toEqual([2, 5]);
    expect(a.identity).toEqual(first);
  });

  it(`sends one batch until the leader confirms the identity, then pipelines up to ${maxInFlightPerPartition}`, () => {
    const s = new PartitionSequencer<TestBatch>(first);
    const batches = Array.from({ length: 7 }, () => batch());
    const confirming = batch();
    s.append(confirming);
    batches.forEach((b) => s.append(b));
    expect(drain(s)).toEqual([confirming]);
    s.answer(confirming, written, 0, noWait);
    expect(drain(s)).toEqual(batches.slice(0, 5));
    expect(s.answer(batches[0]!, written, 0, noWait)).toBe('written');
    expect(drain(s)).toEqual([batches[5]]);
  });

  it('keeps the numbers of a batch across every retry', () => {
    const s = confirmed();
    const [a, b] = [batch(), batch()];
    s.append(a);
    s.append(b);
    drain(s);
    expect(s.answer(a, unknown, 0, noWait)).toBe('retrying');
    expect(s.answer(b, outOfOrder, 0, noWait)).toBe('retrying');
    expect(s.identityNeeded()).toBeUndefined();
    // One at a time, the earliest first, same numbers.
    expect(drain(s)).toEqual([a]);
    expect(a.baseSequence).toBe(2);
    expect(a.attempts).toBe(2);
    s.answer(a, written, 0, noWait);
    expect(drain(s)).toEqual([b]);
    expect(b.baseSequence).toBe(4);
  });

  it('resends one batch at a time until every batch sent before is answered for', () => {
    const s = confirmed();
    const batches = Array.from({ length: 4 }, () => batch());
    batches.slice(0, 3).forEach((b) => s.append(b));
    drain(s);
    for (const b of batches.slice(0, 3)) s.answer(b, notLeader, 0, noWait);
    s.append(batches[3]!);
    for (const expected of batches.slice(0, 3)) {
      expect(drain(s)).toEqual([expected]);
      s.answer(expected, written, 0, noWait);
    }
    // The never-sent batch goes out in the normal, pipelined way.
    expect(drain(s)).toEqual([batches[3]]);
  });

  it('waits the backoff after a failed round', () => {
    const s = new PartitionSequencer<TestBatch>(first);
    const a = batch();
    s.append(a);
    drain(s, 0);
    s.answer(a, notLeader, 0, (failures) => failures * 100);
    expect(s.readyAt()).toBe(100);
    expect(s.next(99)).toBeUndefined();
    expect(s.next(100)).toBe(a);
  });

  it('takes a new epoch when the first unanswered batch is refused for its sequence, and renumbers from 0', () => {
    const s = confirmed();
    const [a, b] = [batch(), batch()];
    s.append(a);
    s.append(b);
    drain(s);
    s.answer(a, outOfOrder, 0, noWait);
    expect(s.identityNeeded()).toBeUndefined(); // b still in flight
    s.answer(b, outOfOrder, 0, noWait);
    expect(s.identityNeeded()).toBe('bump-epoch');
    expect(s.next(0)).toBeUndefined();
    s.resetIdentity({ producerId: 1000n, producerEpoch: 1 });
    // Renumbered from 0, one at a time until the leader confirms the new epoch.
    expect(drain(s)).toEqual([a]);
    expect([a.baseSequence, a.identity?.producerEpoch]).toEqual([0, 1]);
    s.answer(a, written, 0, noWait);
    expect(drain(s)).toEqual([b]);
    expect([b.baseSequence, b.identity?.producerEpoch]).toEqual([2, 1]);
  });

  it('never renumbers a batch that may have been written: it is answered for under its own numbers first', () => {
    const s = confirmed();
    const [a, b, c] = [batch(), batch(), batch()];
    [a, b, c].forEach((x) => s.append(x));
    drain(s);
    s.answer(a, { kind: 'failed' }, 0, noWait); // a gap: later batches need a new epoch
    s.answer(b, unknown, 0, noWait); // but b may be written
    s.answer(c, unknown, 0, noWait);
    expect(s.identityNeeded()).toBeUndefined();
    expect(drain(s)).toEqual([b]);
    expect(b.baseSequence).toBe(4);
    expect(() => s.resetIdentity({ producerId: 1000n, producerEpoch: 1 })).toThrow(/unknown/);
    s.answer(b, outOfOrder, 0, noWait); // b is not written; c still may be
    expect(c.maybeWritten).toBe(true);
    expect(s.identityNeeded()).toBeUndefined();
    expect(drain(s)).toEqual([c]);
    expect(c.baseSequence).toBe(6);
    s.answer(c, outOfOrder, 0, noWait);
    expect(s.identityNeeded()).toBe('bump-epoch');
  });

  it('asks for a new producer id when fenced', () => {
    const s = new PartitionSequencer<TestBatch>(first);
    const a = batch();
    s.append(a);
    drain(s);
    s.answer(a, { kind: 'fenced' }, 0, noWait);
    expect(s.identityNeeded()).toBe('new-producer-id');
  });

  it('asks for an identity before its first send when it has none', () => {
    const s = new PartitionSequencer<TestBatch>();
    s.append(batch());
    expect(s.next(0)).toBeUndefined();
    expect(s.identityNeeded()).toBe('new-producer-id');
    s.resetIdentity(first);
    expect(drain(s)).toHaveLength(1);
  });

  it('drops expired queued batches, and ignores the late answer of an expired in-flight one', () => {
    const s = new PartitionSequencer<TestBatch>(first);
    const [a, b] = [batch(1, 100), batch(1, 100)];
    s.append(a);
    drain(s);
    s.append(b);
    s.answer(a, unknown, 0, noWait); // a queued again, b queued behind it
    const inFlightAgain = drain(s);
    expect(inFlightAgain).toEqual([a]);
    expect(s.expire(100)).toEqual([a, b]);
    expect(s.size).toBe(1); // b dropped; a still in flight
    expect(s.answer(a, written, 100, noWait)).toBe('ignored');
    expect(s.size).toBe(0);
    expect(s.expire(200)).toEqual([]);
  });

  it('turns a failed batch into a gap that the next batch needs a new epoch for', () => {
    const s = new PartitionSequencer<TestBatch>(first);
    const a = batch();
    s.append(a);
    drain(s);
    expect(s.answer(a, { kind: 'failed' }, 0, noWait)).toBe('failed');
    s.append(batch());
    expect(s.identityNeeded()).toBe('bump-epoch');
  });

  it('refuses an answer for a batch that is not in flight', () => {
    const s = new PartitionSequencer<TestBatch>(first);
    const a = batch();
    s.append(a);
    expect(() => s.answer(a, written, 0, noWait)).toThrow(/not in flight/);
  });
});

/** A small seeded generator, so a failing seed can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Request {
  readonly batch: TestBatch;
  readonly identity: ProducerIdentity;
  readonly baseSequence: number;
}

/**
 * One partition, a leader with Kafka's producer-state rules, and a network that loses
 * requests and answers, refuses with NOT_LEADER, delivers out of order and lets deadlines
 * pass. Returns the log and what each batch became.
 */
function simulate(seed: number, trace?: (line: string) => void) {
  const random = mulberry32(seed);
  const log = new FakePartitionLog();
  const s = new PartitionSequencer<TestBatch>({ producerId: 1000n, producerEpoch: 0 });
  const outcome = new Map<TestBatch, string>();
  const created: TestBatch[] = [];
  let wire: Request[] = [];
  let now = 0;
  let pid = 2000n;
  for (let step = 0; step < 20_000; step++) {
    if (created.length < 60 && random() < 0.3) {
      const b = batch(1 + Math.floor(random() * 4), now + 200 + Math.floor(random() * 3_000));
      created.push(b);
      s.append(b);
    }
    const need = s.identityNeeded();
    if (need) {
      const id = s.currentIdentity()!;
      trace?.(`t=${now} identity ${need}`);
      s.resetIdentity(
        need === 'bump-epoch'
          ? { producerId: id.producerId, producerEpoch: id.producerEpoch + 1 }
          : { producerId: pid++, producerEpoch: 0 },
      );
    }
    for (let b = s.next(now); b; b = s.next(now)) {
      wire.push({ batch: b, identity: b.identity!, baseSequence: b.baseSequence });
    }
    if (s.inFlightCount > maxInFlightPerPartition)
      throw new Error(`seed ${seed}: too many in flight`);
    if (wire.length > 0 && random() < 0.7) {
      // Mostly in order (one connection); sometimes another (a new leader's).
      const index = random() < 0.9 ? 0 : Math.floor(random() * wire.length);
      const request = wire[index]!;
      wire = wire.filter((_, i) => i !== index);
      const fate = random();
      let answer: BatchAnswer;
      if (fate < 0.1) {
        answer = { kind: 'retry', maybeWritten: true }; // lost on the way there
      } else if (fate < 0.2) {
        answer = { kind: 'retry', maybeWritten: false }; // NOT_LEADER_OR_FOLLOWER
      } else {
        const result = log.append(
          request.identity.producerId,
          request.identity.producerEpoch,
          request.baseSequence,
          request.batch.values,
        );
        answer =
          fate < 0.3
            ? { kind: 'retry', maybeWritten: true }
            : classifyProduceError(result.errorCode).answer;
      }
      const settled = s.answer(request.batch, answer, now, () => Math.floor(random() * 30));
      trace?.(
        `t=${now} b${request.batch.id} pid=${request.identity.producerId} e=${request.identity.producerEpoch} seq=${request.baseSequence} fate=${fate.toFixed(2)} answer=${JSON.stringify(answer)} -> ${settled} log=${log.records.length}`,
      );
      if (settled === 'written' || settled === 'failed') outcome.set(request.batch, settled);
    }
    now += Math.floor(random() * 20);
    for (const b of s.expire(now)) {
      outcome.set(b, 'expired');
      trace?.(`t=${now} b${b.id} expired (${b.state})`);
    }
    if (created.length === 60 && s.size === 0 && wire.length === 0) break;
  }
  return { log, outcome, created };
}

describe('PartitionSequencer against a leader with Kafka rules and a faulty network', () => {
  it('never writes a record twice, never loses an acknowledged one, keeps the order, and settles every batch once (1,000 seeds)', () => {
    let expiredSeen = 0;
    let bumpsSeen = 0;
    for (let seed = 1; seed <= 1_000; seed++) {
      const { log, outcome, created } = simulate(seed);
      expect(log.duplicates(), `seed ${seed}`).toEqual(new Map());
      const logged = new Map(log.records.map((r, i) => [r.value, i]));
      let last = -1;
      for (const r of log.records) {
        // Order of the log is the order the batches were created in.
        const id = Number(r.value.slice(1, r.value.indexOf('-')));
        expect(id, `seed ${seed}`).toBeGreaterThanOrEqual(last);
        last = id;
        if (r.producerEpoch > 0) bumpsSeen++;
      }
      for (const b of created) {
        const fate = outcome.get(b);
        expect(fate, `seed ${seed} batch ${b.id}`).toMatch(/^(written|expired)$/);
        if (fate === 'written') {
          for (const v of b.values) expect(logged.has(v), `seed ${seed} ${v}`).toBe(true);
        } else expiredSeen++;
      }
    }
    // The faults did happen: some batches timed out and some partitions took a new epoch.
    expect(expiredSeen).toBeGreaterThan(0);
    expect(bumpsSeen).toBeGreaterThan(0);
    // A generous bound: this is a correctness test, not a timing one.
  }, 300_000);
});
