/** One measured run of one contender. */
export interface Sample {
  /** Records handled. */
  readonly records: number;
  /** Payload bytes handled (values, and keys where the contender sends them). */
  readonly bytes: number;
  readonly wallMs: number;
  /** User + system CPU of this process during the run; undefined when not measurable here (another process did the work). */
  readonly cpuMs: number | undefined;
}

/** The rounds of one contender, summarised. */
export interface Summary {
  readonly rounds: number;
  readonly recordsPerSecond: {
    readonly median: number;
    readonly min: number;
    readonly max: number;
  };
  readonly megabytesPerSecond: number;
  /** CPU microseconds per record, median over rounds; undefined when not measured. */
  readonly cpuMicrosPerRecord: number | undefined;
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median, min and max throughput, MB/s of the median round, CPU per record. */
export function summarise(samples: readonly Sample[]): Summary {
  if (samples.length === 0) throw new RangeError('no samples to summarise');
  for (const [i, s] of samples.entries()) {
    if (!(s.wallMs > 0) || !(s.records > 0)) {
      throw new RangeError(
        `sample ${i}: needs records > 0 and wallMs > 0, got ${s.records} in ${s.wallMs} ms`,
      );
    }
  }
  const rates = samples.map((s) => (s.records * 1000) / s.wallMs);
  return {
    rounds: samples.length,
    recordsPerSecond: { median: median(rates), min: Math.min(...rates), max: Math.max(...rates) },
    megabytesPerSecond: median(samples.map((s) => (s.bytes * 1000) / s.wallMs / 1e6)),
    cpuMicrosPerRecord: samples.some((s) => s.cpuMs === undefined)
      ? undefined
      : median(samples.map((s) => (s.cpuMs! * 1000) / s.records)),
  };
}

/** `value / baseline`, or undefined when there is no baseline to compare with. */
export function ratio(value: number, baseline: number | undefined): number | undefined {
  return baseline === undefined || baseline === 0 ? undefined : value / baseline;
}
