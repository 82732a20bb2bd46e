/**
 * When did a partition's log end reach a given offset? A bounded table of (offset, time)
 * points sampled from the log end, interpolated between points and extrapolated beyond
 * them (the kafka-lag-exporter approach). A committed offset's time lag is then how long
 * ago the log end was where the consumer is now.
 */
export class OffsetTimeTable {
  // Ascending in both offset and time. Each point is the first time an offset was seen.
  private readonly points: { offset: bigint; at: number }[] = [];

  constructor(private readonly capacity = 64) {
    if (!Number.isInteger(capacity) || capacity < 3) {
      throw new RangeError(`capacity must be an integer of at least 3, got ${capacity}`);
    }
  }

  /** Records that the log end was `offset` at `at` (ms). Older or equal offsets are ignored. */
  add(offset: bigint, at: number): void {
    const last = this.points[this.points.length - 1];
    if (last && (offset <= last.offset || at < last.at)) {
      // The same offset seen again keeps its first time; a log end that went backwards
      // (topic recreated) restarts the table.
      if (offset < last.offset) this.points.length = 0;
      else return;
    }
    this.points.push({ offset, at });
    if (this.points.length > this.capacity) this.dropLeastInformative();
  }

  /**
   * Removes the inner point whose removal changes the interpolation least, so memory is
   * bounded and steady stretches cost one segment while rate changes keep their corners.
   */
  private dropLeastInformative(): void {
    let best = 1;
    let bestError = Infinity;
    for (let i = 1; i < this.points.length - 1; i++) {
      const a = this.points[i - 1]!;
      const b = this.points[i + 1]!;
      const p = this.points[i]!;
      const error = Math.abs(p.at - interpolate(a, b, p.offset));
      if (error < bestError) {
        bestError = error;
        best = i;
      }
    }
    this.points.splice(best, 1);
  }

  get size(): number {
    return this.points.length;
  }

  /**
   * Estimated time (ms) at which the log end reached `offset`, or undefined with fewer than
   * two points. At or past the newest point it is that point's time.
   */
  timeOf(offset: bigint): number | undefined {
    const n = this.points.length;
    if (n < 2) return undefined;
    if (offset >= this.points[n - 1]!.offset) return this.points[n - 1]!.at;
    // Before the oldest point: extrapolate from the whole table's average rate.
    if (offset < this.points[0]!.offset) {
      return interpolate(this.points[0]!, this.points[n - 1]!, offset);
    }
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.points[mid]!.offset <= offset) lo = mid;
      else hi = mid;
    }
    return interpolate(this.points[lo]!, this.points[hi]!, offset);
  }
}

/** Time at `offset` on the line through a and b (a.offset < b.offset). */
function interpolate(
  a: { offset: bigint; at: number },
  b: { offset: bigint; at: number },
  offset: bigint,
): number {
  const span = Number(b.offset - a.offset);
  if (span === 0) return a.at;
  return a.at + (Number(offset - a.offset) / span) * (b.at - a.at);
}

/**
 * Seconds the consumer is behind: now minus the time the log end reached its committed
 * offset; 0 when it is at the log end. Undefined until the table has two points.
 */
export function lagSeconds(
  table: OffsetTimeTable,
  committed: bigint,
  logEnd: bigint,
  now: number,
): number | undefined {
  if (committed >= logEnd) return 0;
  const at = table.timeOf(committed);
  if (at === undefined) return undefined;
  return Math.max(0, (now - at) / 1000);
}
