/**
 * A partition's status, after Burrow's evaluation rules:
 * - OK: caught up at some point in the window, or moving and catching up;
 * - WARN: the committed offset moves but the lag never shrinks (the consumer is too slow);
 * - STALL: a member owns the partition, yet the committed offset did not move while lag remained;
 * - STOP: no member owns the partition and the committed offset did not move while lag remained
 *   (the consumers are gone: the case a monitor inside the consumer can never report);
 * - REWIND: the committed offset went backwards (a reset, or a consumer committing old offsets).
 */
export type PartitionStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND';

/** Burrow's group-level summary: STALL, STOP and REWIND are errors. */
export type Severity = 'OK' | 'WARN' | 'ERR';

/** One sampling round's view of a partition. */
export interface LagSample {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly committed: bigint;
  readonly logEnd: bigint;
}

export interface StatusRules {
  /** Samples in the window; fewer than this and the partition is not judged (OK, incomplete). */
  readonly window: number;
  /** Lag at or below this counts as caught up (Burrow's rule 1 with a tolerance). */
  readonly allowedLag: bigint;
}

export interface PartitionJudgement {
  readonly status: PartitionStatus;
  /** Share of the window filled, 0 to 1; below 1 the status is OK by default. */
  readonly complete: number;
}

const rank: Record<PartitionStatus, number> = { OK: 0, WARN: 1, REWIND: 2, STALL: 3, STOP: 4 };

/** The worse of two statuses (OK < WARN < REWIND < STALL < STOP). */
export function worse(a: PartitionStatus, b: PartitionStatus): PartitionStatus {
  return rank[b] > rank[a] ? b : a;
}

export function severityOf(status: PartitionStatus): Severity {
  return status === 'OK' ? 'OK' : status === 'WARN' ? 'WARN' : 'ERR';
}

/** Severities from the mildest; a threshold such as `--notify-min-severity` is one of them. */
export const severities: readonly Severity[] = ['OK', 'WARN', 'ERR'];

/** Whether `severity` is at least `threshold` (OK < WARN < ERR). */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severities.indexOf(severity) >= severities.indexOf(threshold);
}

const lagOf = (s: LagSample) => (s.logEnd > s.committed ? s.logEnd - s.committed : 0n);

/**
 * Judges a partition from its last samples (oldest first). `owned` says whether a live
 * member of the group has the partition assigned now. Pure: same input, same answer.
 */
export function judgePartition(
  samples: readonly LagSample[],
  owned: boolean,
  rules: StatusRules,
): PartitionJudgement {
  if (!Number.isInteger(rules.window) || rules.window < 2) {
    throw new RangeError(`window must be an integer of at least 2, got ${rules.window}`);
  }
  const window = samples.slice(-rules.window);
  const complete = window.length / rules.window;
  if (window.length < rules.window) return { status: 'OK', complete };

  // Rule 1: caught up at any point of the window (the latest sample included): OK.
  if (window.some((s) => lagOf(s) <= rules.allowedLag)) return { status: 'OK', complete };
  // Rule 2: the committed offset went backwards.
  for (let i = 1; i < window.length; i++) {
    if (window[i]!.committed < window[i - 1]!.committed) return { status: 'REWIND', complete };
  }
  // Rules 3 and 4: it did not move at all, with lag all along.
  const first = window[0]!.committed;
  if (window.every((s) => s.committed === first)) {
    return { status: owned ? 'STALL' : 'STOP', complete };
  }
  // Rule 5: it moves, but the lag never shrinks from one sample to the next.
  for (let i = 1; i < window.length; i++) {
    if (lagOf(window[i]!) < lagOf(window[i - 1]!)) return { status: 'OK', complete };
  }
  return { status: 'WARN', complete };
}
