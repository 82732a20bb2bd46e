import type { GroupSummary } from './group-summary.js';
import type { PartitionStatus } from './partition-status.js';

/** One partition of a group's report. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** The log-end offset (high watermark). */
  readonly logEnd: string;
  /** The group's committed offset; null when the group never committed on this partition. */
  readonly committed: string | null;
  /** Records behind: log end minus committed; null without a commit (not zero: unknown). */
  readonly lag: number | null;
  /** Seconds behind: how long ago the log end was at the committed offset; null while unknown. */
  readonly lagSeconds: number | null;
  /** 'NO_COMMIT' partitions are listed but not judged. */
  readonly status: PartitionStatus | 'NO_COMMIT';
  /** Share of the status window filled (0 to 1); below 1 the status is OK by default. */
  readonly complete: number;
  /** The member that has the partition assigned now (client id), or null. */
  readonly owner: string | null;
  /** That member's id (the coordinator's `consumer-<client id>-<uuid>`), or null. */
  readonly ownerMemberId: string | null;
  /** The host the coordinator saw that member connect from, or null. */
  readonly ownerHost: string | null;
  /** The log-start offset (the earliest record kept), or null when unknown. */
  readonly logStart: string | null;
}

/** A member of a group as its coordinator describes it. */
export interface GroupMember {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
  /** Partitions assigned to it. */
  readonly partitions: number;
}

/** What the monitor knows of one group after a sampling round: its summary and partitions. */
export interface GroupLagReport extends GroupSummary {
  readonly group: string;
  /** Milliseconds since the epoch of the round. */
  readonly at: number;
  /** The group coordinator's state: Stable, Empty, PreparingRebalance, Dead, ... */
  readonly state: string;
  /**
   * "consumer" for a group of consumers; empty for a group that only commits offsets (a
   * "simple" group, kafka-lag-exporter's `is_simple_consumer`) or one the coordinator forgot.
   */
  readonly protocolType: string;
  readonly members: number;
  /** Each member, with the number of partitions it has. */
  readonly memberList: readonly GroupMember[];
  readonly partitions: readonly PartitionLag[];
}

/** How a sampling round went: what `round` events carry. */
export interface LagRound {
  /** Milliseconds since the epoch when the round started. */
  readonly at: number;
  readonly durationMs: number;
  /** The groups reported. */
  readonly groups: number;
  readonly error?: Error;
}
