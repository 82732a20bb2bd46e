/**
 * `keyOrdering: 'preserve'` for one source partition: which keys have a record waiting in
 * a retry topic, and the later records of those keys parked behind it, in arrival order.
 * A key stays blocked while it has a record in retry or anything parked, so a record of
 * that key is never processed ahead of an earlier one.
 */
export class KeyParking<T> {
  // key -> original offset of the record of that key now in a retry topic
  private readonly inRetry = new Map<string, string>();
  private readonly parked = new Map<string, T[]>();
  private total = 0;

  /** Whether a new record with `key` must be parked. */
  blocked(key: string): boolean {
    return this.inRetry.has(key) || this.parked.has(key);
  }

  /** The record of `key` at `offset` went to a retry topic: later records of the key wait. */
  hold(key: string, offset: string): void {
    this.inRetry.set(key, offset);
  }

  /** Parks a record behind its key. */
  park(key: string, item: T): void {
    const queue = this.parked.get(key);
    if (queue) queue.push(item);
    else this.parked.set(key, [item]);
    this.total++;
  }

  /**
   * The record of `key` at `offset` finished its retries (processed or dead-lettered).
   * True when it was the one holding the key, which the caller then drains.
   */
  release(key: string, offset: string): boolean {
    if (this.inRetry.get(key) !== offset) return false;
    this.inRetry.delete(key);
    return true;
  }

  /** Whether `key` may be drained now: nothing of it in retry. */
  drainable(key: string): boolean {
    return !this.inRetry.has(key);
  }

  /** The first parked record of `key`, left in place so the key stays blocked meanwhile. */
  peek(key: string): T | undefined {
    return this.parked.get(key)?.[0];
  }

  /** Removes the first parked record of `key` once it finished. */
  shift(key: string): void {
    const queue = this.parked.get(key);
    if (!queue || queue.length === 0) return;
    queue.shift();
    this.total--;
    if (queue.length === 0) this.parked.delete(key);
  }

  /** Records parked in this partition. */
  get size(): number {
    return this.total;
  }

  /** Keys with a record in retry. */
  get keysInRetry(): number {
    return this.inRetry.size;
  }

  /** Drops parked records (they will be delivered again); keeps what is in retry. */
  dropParked(): void {
    this.parked.clear();
    this.total = 0;
  }
}
