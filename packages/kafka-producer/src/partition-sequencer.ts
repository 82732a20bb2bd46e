// The idempotence rules of one partition, without I/O: which batch may go on the wire
// next, with which producer id, epoch and sequence, and what each answer from the leader
// means for the batches behind it. The Java client's rules (KIP-98, KIP-360), kept per
// partition because the broker keeps producer state per partition.
//
// The invariant everything here serves: a batch's numbers are assigned once, at its first
// send, and change only when the broker has said that neither it nor any batch after it was
// written. A batch whose fate is unknown (a timeout, a dropped connection) is sent again
// with the same numbers until the broker answers for it, or until its delivery timeout,
// after which it is dropped, never re-numbered.

/** The idempotent identity a batch is written under. */
export interface ProducerIdentity {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/** What the sequencer keeps of a batch; the sender's batches extend it. */
export interface SequencedBatch {
  readonly recordCount: number;
  /** Wall-clock ms after which the batch is failed with DELIVERY_TIMEOUT. */
  readonly deadline: number;
  /** Assigned at the first send; changes only through an identity reset. */
  identity: ProducerIdentity | undefined;
  /** -1 until the first send. */
  baseSequence: number;
  /** How many times it was put on the wire. */
  attempts: number;
  /** An attempt may have been written (its answer never came, or said "maybe"). */
  maybeWritten: boolean;
  /** Failed to the caller by its deadline; never sent again. */
  expired: boolean;
  state: 'queued' | 'in-flight' | 'done';
}

/** The sequencing state of a batch not yet sent. */
export function unsentBatch(recordCount: number, deadline: number): SequencedBatch {
  return {
    recordCount,
    deadline,
    identity: undefined,
    baseSequence: -1,
    attempts: 0,
    maybeWritten: false,
    expired: false,
    state: 'queued',
  };
}

/** The Java client's limit with idempotence: the broker remembers the last 5 batches. */
export const maxInFlightPerPartition = 5;

/** The largest epoch; past it a new producer id is needed. */
export const maxProducerEpoch = 32_767;

/** Sequence after `sequence` + `increment`, wrapping past 2^31-1 as the broker does. */
export function nextSequence(sequence: number, increment: number): number {
  const max = 2_147_483_647;
  if (sequence > max - increment) return increment - (max - sequence) - 1;
  return sequence + increment;
}

/** Why the partition needs a new identity before it can send again. */
export type IdentityNeed = 'bump-epoch' | 'new-producer-id';

/** How a Produce answer for one batch was classified (see produce-errors.ts). */
export type BatchAnswer =
  | { readonly kind: 'written' }
  /** Retry with the same numbers; `maybeWritten` if this attempt could have been written. */
  | { readonly kind: 'retry'; readonly maybeWritten: boolean }
  /** Not written: the sequence or producer id did not match what the broker holds. */
  | { readonly kind: 'sequence-rejected' }
  /** Not written: the broker has a newer epoch for this producer id. */
  | { readonly kind: 'fenced' }
  /** Not written and retrying will not help. */
  | { readonly kind: 'failed' };

/**
 * What became of a batch after an answer: `written` (resolve its records), `failed`
 * (reject them), `retrying` (it goes out again), `ignored` (it had expired and was already
 * failed to the caller; it is dropped).
 */
export type AnswerOutcome = 'written' | 'failed' | 'retrying' | 'ignored';

/** The idempotence state of one partition. */
export class PartitionSequencer<B extends SequencedBatch> {
  /** Not yet written, in send order: in-flight ones first, then queued. */
  private readonly pending: B[] = [];
  private inFlight = 0;
  private nextSeq = 0;
  private identity: ProducerIdentity | undefined;
  /** Send one batch at a time until every batch sent before is answered for. */
  private resending = false;
  private need: IdentityNeed | undefined;
  /**
   * The leader has acknowledged a batch of the current identity, so it holds state for it.
   * Until then one batch at a time: a broker with no state for a producer id accepts any
   * sequence, so a later batch overtaking the first could be written ahead of it.
   */
  private confirmed = false;
  /** Consecutive failed rounds, for the backoff. */
  private failures = 0;
  private notBefore = 0;

  constructor(identity: ProducerIdentity | undefined = undefined) {
    this.identity = identity;
  }

  /** Adds a new batch behind every other. */
  append(batch: B): void {
    batch.state = 'queued';
    this.pending.push(batch);
  }

  /** Batches not yet written and not dropped. */
  get size(): number {
    return this.pending.length;
  }

  get inFlightCount(): number {
    return this.inFlight;
  }

  /** The identity this partition needs before it can send, once nothing is in flight. */
  identityNeeded(): IdentityNeed | undefined {
    if (this.identity === undefined) return 'new-producer-id';
    if (this.need === undefined || this.inFlight > 0) return undefined;
    // A batch that may have been written must be answered for under its own numbers first.
    if (this.pending.some((b) => b.maybeWritten)) return undefined;
    return this.need;
  }

  /**
   * Takes a new identity: sequences restart at 0 and every pending batch is numbered anew at
   * its next send. Only called when identityNeeded() said so (nothing in flight, nothing
   * that may have been written).
   */
  resetIdentity(identity: ProducerIdentity): void {
    if (this.inFlight > 0 || this.pending.some((b) => b.maybeWritten)) {
      throw new Error('resetIdentity with batches whose fate is unknown');
    }
    this.identity = identity;
    this.nextSeq = 0;
    this.need = undefined;
    this.resending = false;
    this.confirmed = false;
    for (const b of this.pending) {
      b.identity = undefined;
      b.baseSequence = -1;
    }
  }

  /** The current identity, if any. */
  currentIdentity(): ProducerIdentity | undefined {
    return this.identity;
  }

  /** When the partition may send again after a failed round (ms, same clock as `now`). */
  readyAt(): number {
    return this.notBefore;
  }

  /**
   * The next batch to put on the wire, numbered, or undefined when none may go now. The
   * caller sends it and reports the answer with `answer()`.
   */
  next(now: number): B | undefined {
    if (now < this.notBefore || this.identity === undefined) return undefined;
    if (this.need !== undefined) {
      // Until the new identity: only batches that may have been written, one at a time,
      // under their own numbers.
      if (this.inFlight > 0) return undefined;
      const unresolved = this.pending.find((b) => b.maybeWritten && b.state === 'queued');
      return unresolved ? this.launch(unresolved) : undefined;
    }
    if (this.resending) {
      if (this.inFlight > 0) return undefined;
      const head = this.pending[0];
      if (head === undefined) {
        this.resending = false;
        return undefined;
      }
      if (head.attempts === 0) this.resending = false;
      else return this.launch(head);
    }
    if (this.inFlight >= (this.confirmed ? maxInFlightPerPartition : 1)) return undefined;
    const candidate = this.pending[this.inFlight];
    if (candidate === undefined || candidate.state !== 'queued') return undefined;
    return this.launch(candidate);
  }

  private launch(batch: B): B {
    if (batch.baseSequence === -1) {
      batch.identity = this.identity;
      batch.baseSequence = this.nextSeq;
      this.nextSeq = nextSequence(this.nextSeq, batch.recordCount);
    }
    batch.attempts += 1;
    batch.state = 'in-flight';
    this.inFlight += 1;
    return batch;
  }

  /**
   * Applies the leader's answer (or a transport failure, as `retry` with maybeWritten) for
   * an in-flight batch. Returns what became of it.
   */
  answer(
    batch: B,
    answer: BatchAnswer,
    now: number,
    backoff: (failures: number) => number,
  ): AnswerOutcome {
    if (batch.state !== 'in-flight') throw new Error('answer for a batch that is not in flight');
    this.inFlight -= 1;
    const index = this.pending.indexOf(batch);
    switch (answer.kind) {
      case 'written':
        batch.state = 'done';
        this.pending.splice(index, 1);
        this.failures = 0;
        if (batch.identity === this.identity) this.confirmed = true;
        return batch.expired ? 'ignored' : 'written';
      case 'retry':
        batch.maybeWritten ||= answer.maybeWritten;
        return this.requeue(batch, index, now, backoff);
      case 'sequence-rejected':
        // The broker refused this batch, so this attempt is not written, and an earlier
        // attempt was not either (a resend within 5 batches is recognised as a duplicate).
        // Nothing follows for the batches after it: a broker with no state for this producer
        // id accepts any sequence, so each of them is answered for under its own numbers.
        batch.maybeWritten = false;
        if (this.pending.slice(0, index).some((b) => !b.expired)) {
          // An earlier batch is still unanswered: this one follows it once it is written.
          return this.requeue(batch, index, now, backoff);
        }
        this.need ??= 'bump-epoch';
        return this.requeue(batch, index, now, backoff);
      case 'fenced':
        // A newer epoch of this producer id was written: this batch cannot be.
        batch.maybeWritten = false;
        this.need = 'new-producer-id';
        return this.requeue(batch, index, now, backoff);
      case 'failed':
        batch.state = 'done';
        this.pending.splice(index, 1);
        // Its sequence numbers now leave a gap; what follows needs a new epoch.
        this.need ??= 'bump-epoch';
        return batch.expired ? 'ignored' : 'failed';
    }
  }

  private requeue(
    batch: B,
    index: number,
    now: number,
    backoff: (failures: number) => number,
  ): AnswerOutcome {
    if (batch.expired) {
      // Already failed to the caller: never sent again. If it was not written, the next
      // batch's sequence is refused and the partition takes a new epoch then.
      batch.state = 'done';
      this.pending.splice(index, 1);
      return 'ignored';
    }
    batch.state = 'queued';
    this.resending = true;
    this.failures += 1;
    this.notBefore = now + backoff(this.failures);
    return 'retrying';
  }

  /**
   * Batches whose deadline has passed: each is returned once, to be failed with
   * DELIVERY_TIMEOUT. Queued ones are dropped here; in-flight ones when answered.
   */
  expire(now: number): B[] {
    const expired: B[] = [];
    for (let i = 0; i < this.pending.length;) {
      const b = this.pending[i]!;
      if (!b.expired && b.deadline <= now) {
        b.expired = true;
        expired.push(b);
      }
      if (b.expired && b.state === 'queued') {
        b.state = 'done';
        this.pending.splice(i, 1);
      } else {
        i++;
      }
    }
    return expired;
  }

  /** The earliest deadline among pending batches not yet expired. */
  nextDeadline(): number | undefined {
    let earliest: number | undefined;
    for (const b of this.pending) {
      if (!b.expired && (earliest === undefined || b.deadline < earliest)) earliest = b.deadline;
    }
    return earliest;
  }

  /** Every batch not yet settled with the caller, for a forced close. */
  unsettled(): B[] {
    return this.pending.filter((b) => !b.expired);
  }
}
