/**
 * The offsets of one partition that were handed out but are not finished yet, and from
 * them the offset that is safe to commit. Records can finish out of order (a record parked
 * behind its key finishes after later ones); the commit never passes an unfinished record,
 * so a crash re-delivers it instead of losing it.
 */
export class OffsetTracker {
  // Offsets in the order they were handed out (ascending, as a partition delivers them).
  private readonly order: bigint[] = [];
  private readonly done = new Set<bigint>();
  private head = 0;
  private next: bigint | undefined;

  /** Registers a record about to be processed. Offsets must arrive in ascending order. */
  begin(offset: string | bigint): void {
    const o = BigInt(offset);
    const last = this.order[this.order.length - 1];
    if ((last !== undefined && o <= last) || (this.next !== undefined && o < this.next)) {
      throw new RangeError(
        `offset ${o} handed out after ${last ?? this.next! - 1n}: offsets of a partition must ascend`,
      );
    }
    this.order.push(o);
  }

  /** Marks a record finished: processed, or durably handed to a retry or dead-letter topic. */
  finish(offset: string | bigint): void {
    const o = BigInt(offset);
    if (this.head < this.order.length && this.order[this.head] === o) {
      // The oldest unfinished record: the usual case, which needs no set and no search.
      this.next = o + 1n;
      this.head++;
    } else {
      if (!this.pending(o)) {
        throw new RangeError(`offset ${o} was not begun or is already finished`);
      }
      this.done.add(o);
    }
    // Advance over the finished prefix; the commit point follows it.
    while (this.head < this.order.length && this.done.has(this.order[this.head]!)) {
      const first = this.order[this.head]!;
      this.done.delete(first);
      this.next = first + 1n;
      this.head++;
    }
    // Drop the consumed prefix now and then, so memory follows the unfinished records only.
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Whether `offset` was begun and has not finished. */
  pending(offset: bigint): boolean {
    if (this.done.has(offset)) return false;
    // Binary search in the live part of the ascending list.
    let lo = this.head;
    let hi = this.order.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.order[mid]!;
      if (v === offset) return true;
      if (v < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /**
   * The offset to commit (the next record to read after a restart), or undefined when
   * nothing finished since the tracker began. It is the first unfinished offset, or one
   * past the last finished when all finished.
   */
  committable(): bigint | undefined {
    if (this.head < this.order.length) {
      const first = this.order[this.head]!;
      return this.next === undefined && this.head === 0 ? undefined : first;
    }
    return this.next;
  }

  /**
   * Forgets the unfinished records from `offset` on, which will be delivered again (a
   * record whose hand-off to a retry topic failed, and anything after it).
   */
  forgetFrom(offset: string | bigint): void {
    const o = BigInt(offset);
    let keep = this.order.length;
    while (keep > this.head && this.order[keep - 1]! >= o) keep--;
    for (const dropped of this.order.splice(keep)) this.done.delete(dropped);
  }

  /** Records begun and not finished. */
  get inFlight(): number {
    return this.order.length - this.head - this.done.size;
  }
}
