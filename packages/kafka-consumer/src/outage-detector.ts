/** When handler failures look like a dependency outage rather than bad records. */
export interface OutageRules {
  /** Failing keys needed within the window: one bad record, or a few, never trip it. */
  readonly distinctKeys: number;
  /** The sliding window the failures and calls are counted in, ms. */
  readonly windowMs: number;
  /** Share of the window's handler calls that failed, 0 to 1: records that succeed say the dependency is up. */
  readonly failureRatio: number;
}

/** What the window held when it said "outage". */
export interface OutageEvidence {
  readonly distinctKeys: number;
  readonly failures: number;
  readonly calls: number;
  readonly windowMs: number;
}

// The window is kept as this many buckets: a success costs one increment, whatever the rate.
const bucketCount = 10;

interface Bucket {
  slot: number;
  calls: number;
  failures: number;
  readonly keys: Set<string>;
}

/**
 * Counts handler calls and transient failures in a sliding window (bucketed: it slides by a
 * tenth of the window) and says when the failures span at least `distinctKeys` keys and make
 * up at least `failureRatio` of the calls. Keys are counted up to the threshold only, so the
 * memory is bounded at any failure rate. Pure: the caller passes the time.
 */
export class OutageDetector {
  private readonly buckets: Bucket[];
  private readonly width: number;

  constructor(private readonly rules: OutageRules) {
    if (!Number.isInteger(rules.distinctKeys) || rules.distinctKeys < 1) {
      throw new RangeError(`distinctKeys must be a positive integer, got ${rules.distinctKeys}`);
    }
    if (!(rules.windowMs > 0))
      throw new RangeError(`windowMs must be positive, got ${rules.windowMs}`);
    if (!(rules.failureRatio > 0 && rules.failureRatio <= 1)) {
      throw new RangeError(`failureRatio must be in (0, 1], got ${rules.failureRatio}`);
    }
    this.width = rules.windowMs / bucketCount;
    this.buckets = Array.from({ length: bucketCount }, () => ({
      slot: -1,
      calls: 0,
      failures: 0,
      keys: new Set<string>(),
    }));
  }

  /** `count` handler calls succeeded at `now`. */
  succeeded(now: number, count = 1): void {
    this.bucketAt(now).calls += count;
  }

  /**
   * A handler call failed transiently at `now` for the record of `key` (keyless records pass
   * something unique to them). The evidence when the window now says outage, else undefined.
   */
  failed(now: number, key: string): OutageEvidence | undefined {
    const bucket = this.bucketAt(now);
    bucket.calls++;
    bucket.failures++;
    if (bucket.keys.size < this.rules.distinctKeys) bucket.keys.add(key);
    return this.evidence(now);
  }

  /** Forgets the window: an outage ended, its failures say nothing about the next. */
  reset(): void {
    for (const b of this.buckets) this.clear(b, -1);
  }

  private evidence(now: number): OutageEvidence | undefined {
    const current = Math.floor(now / this.width);
    let calls = 0;
    let failures = 0;
    const keys = new Set<string>();
    for (const b of this.buckets) {
      if (b.slot <= current - bucketCount || b.slot > current) continue;
      calls += b.calls;
      failures += b.failures;
      for (const k of b.keys) {
        if (keys.size >= this.rules.distinctKeys) break;
        keys.add(k);
      }
    }
    if (keys.size < this.rules.distinctKeys || failures < this.rules.failureRatio * calls) {
      return undefined;
    }
    return { distinctKeys: keys.size, failures, calls, windowMs: this.rules.windowMs };
  }

  private bucketAt(now: number): Bucket {
    const slot = Math.floor(now / this.width);
    const bucket = this.buckets[((slot % bucketCount) + bucketCount) % bucketCount]!;
    if (bucket.slot !== slot) this.clear(bucket, slot);
    return bucket;
  }

  private clear(bucket: Bucket, slot: number): void {
    bucket.slot = slot;
    bucket.calls = 0;
    bucket.failures = 0;
    bucket.keys.clear();
  }
}
