import { parseRetryTopic } from '@org/kafka-core';
import { severityOf, worse, type PartitionStatus, type Severity } from './partition-status.js';

/** What the group-level summary reads of one partition. */
export interface SummarizedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number | null;
  readonly lagSeconds: number | null;
  readonly status: PartitionStatus | 'NO_COMMIT';
  readonly complete: number;
}

/** A group's status and totals, from its partitions. */
export interface GroupSummary {
  /** The worst judged partition status (OK < WARN < REWIND < STALL < STOP). */
  readonly status: PartitionStatus;
  /** Burrow's summary: OK, WARN, or ERR for STALL, STOP and REWIND. */
  readonly severity: Severity;
  /** The least complete window among judged partitions (not retry topics, not NO_COMMIT); 0 when none is judged. */
  readonly complete: number;
  readonly totalLag: number;
  /** The partition furthest behind in records (`records-lag-max`), or null. */
  readonly maxLag: { topic: string; partition: number; lag: number } | null;
  readonly maxLagSeconds: number | null;
}

/** A retry topic's records wait on purpose: its lag is reported, never judged. */
export function isRetryTopic(topic: string): boolean {
  return parseRetryTopic(topic) !== undefined;
}

/**
 * The group's status and totals from its partitions. Status and completeness come only from
 * judged partitions: a partition without a commit has nothing to judge, and a retry-topic
 * partition is never judged, so neither can hold the group at "not judged yet" (a retry
 * partition first used late in a run would otherwise reset the group's window). Lag totals
 * count every partition whose lag is known.
 */
export function summarizeGroup(partitions: readonly SummarizedPartition[]): GroupSummary {
  let status: PartitionStatus = 'OK';
  let complete: number | undefined;
  let totalLag = 0;
  let maxLag: GroupSummary['maxLag'] = null;
  let maxLagSeconds: number | null = null;
  for (const p of partitions) {
    if (p.status !== 'NO_COMMIT' && !isRetryTopic(p.topic)) {
      status = worse(status, p.status);
      complete = Math.min(complete ?? 1, p.complete);
    }
    if (p.lag !== null) {
      totalLag += p.lag;
      if (!maxLag || p.lag > maxLag.lag)
        maxLag = { topic: p.topic, partition: p.partition, lag: p.lag };
    }
    if (p.lagSeconds !== null) maxLagSeconds = Math.max(maxLagSeconds ?? 0, p.lagSeconds);
  }
  return {
    status,
    severity: severityOf(status),
    complete: complete ?? 0,
    totalLag,
    maxLag,
    maxLagSeconds,
  };
}
