import type { GroupMembership } from './group-membership.js';
import { isRetryTopic, summarizeGroup } from './group-summary.js';
import type { LagHistory } from './lag-history.js';
import { lagSeconds } from './offset-time-table.js';
import { PartitionMap } from './partition-map.js';
import { judgePartition, type StatusRules } from './partition-status.js';
import type { GroupLagReport, PartitionLag } from './types.js';

/** A group's committed offsets on one topic, as kafkajs's fetchOffsets gives them. */
export interface CommittedTopic {
  readonly topic: string;
  readonly partitions: readonly { readonly partition: number; readonly offset: string }[];
}

/** A partition's log end (high watermark) and log start, as one round read them. */
export interface LogOffsets {
  readonly end: bigint;
  readonly start: string;
}

/** What one round read of one group. */
export interface GroupRound {
  readonly groupId: string;
  /** Milliseconds since the epoch of the round. */
  readonly at: number;
  /** The coordinator's description; undefined when it did not describe the group. */
  readonly description: { readonly state: string; readonly protocolType: string } | undefined;
  readonly committed: readonly CommittedTopic[];
  readonly membership: GroupMembership;
  /** Log offsets of the partitions read this round; a partition missing here is left out. */
  readonly logOffsets: PartitionMap<LogOffsets>;
}

/**
 * The group's report from one round: a partition per committed offset, and every partition a
 * member owns without one (NO_COMMIT). The round's sample goes into the group's window in
 * `history`, which judges the status; a retry topic's partitions wait on purpose, so they
 * always read OK. Undefined for a group the coordinator no longer knows and that has nothing
 * to report (deleted). No I/O: same history and round, same report.
 */
export function groupReport(
  round: GroupRound,
  history: LagHistory,
  rules: StatusRules,
): GroupLagReport | undefined {
  const { groupId, at: now, description, membership, logOffsets } = round;
  const state = description?.state ?? 'Dead';
  const partitions: PartitionLag[] = [];
  // A partition both committed and owned is reported once, from its commit.
  const seen = new PartitionMap<true>();
  const add = (topic: string, partition: number, offset: string | undefined) => {
    const log = logOffsets.get(topic, partition);
    if (log === undefined || seen.get(topic, partition)) return;
    seen.set(topic, partition, true);
    const member = membership.owners.get(topic, partition);
    const owner = member?.clientId ?? null;
    const ownership = {
      owner,
      ownerMemberId: member?.memberId ?? null,
      ownerHost: member?.host ?? null,
      logStart: log.start,
    };
    const logEnd = log.end;
    // Kafka answers -1 for a partition the group has no commit on.
    if (offset === undefined || BigInt(offset) < 0n) {
      history.forgetWindow(groupId, topic, partition);
      partitions.push({
        topic,
        partition,
        logEnd: String(logEnd),
        committed: null,
        lag: null,
        lagSeconds: null,
        status: 'NO_COMMIT',
        complete: 0,
        ...ownership,
      });
      return;
    }
    const committed = BigInt(offset);
    const window = history.addSample(
      groupId,
      topic,
      partition,
      { at: now, committed, logEnd },
      rules.window,
    );
    const judged = judgePartition(window, owner !== null, rules);
    const timeline = history.timeline(topic, partition);
    // Caught up is 0 s behind even before a timeline exists; behind without one is unknown.
    const seconds =
      committed >= logEnd ? 0 : timeline && lagSeconds(timeline, committed, logEnd, now);
    partitions.push({
      topic,
      partition,
      logEnd: String(logEnd),
      committed: offset,
      lag: Number(logEnd > committed ? logEnd - committed : 0n),
      lagSeconds: seconds === undefined ? null : Math.round(seconds * 1000) / 1000,
      status: isRetryTopic(topic) ? 'OK' : judged.status,
      complete: judged.complete,
      ...ownership,
    });
  };
  for (const t of round.committed)
    for (const p of t.partitions) add(t.topic, p.partition, p.offset);
  for (const [topic, partition] of membership.owners.entries()) add(topic, partition, undefined);
  if (partitions.length === 0 && state === 'Dead') return undefined;
  partitions.sort((a, b) =>
    a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
  );
  return {
    group: groupId,
    at: now,
    state,
    protocolType: description?.protocolType ?? '',
    members: membership.list.length,
    memberList: membership.list,
    ...summarizeGroup(partitions),
    partitions,
  };
}
