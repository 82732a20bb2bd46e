import { EventEmitter } from 'node:events';
import {
  KafkaSdkError,
  connectionOptionsShape,
  connectClient,
  createKafkaJsClient,
  jsonLogger,
  parseOptions,
  type Logger,
} from '@org/kafka-core';
import kafkajs, { type Admin } from 'kafkajs';
import { z } from 'zod';
import { lagGauges } from './lag-gauges.js';
import { logEndOffsets } from './log-end-offsets.js';
import { OffsetTimeTable, lagSeconds } from './offset-time-table.js';
import { isRetryTopic, summarizeGroup, type GroupSummary } from './group-summary.js';
import { judgePartition, type LagSample, type PartitionStatus } from './partition-status.js';

// Named exports of kafkajs (CommonJS) are missing when imported from plain Node ESM.
const { AssignerProtocol } = kafkajs;

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

export const lagMonitorDefaults = {
  intervalMs: 5_000,
  window: 10,
  allowedLag: 0,
  tableCapacity: 64,
} as const;

const lagMonitorSchema = z
  .strictObject({
    ...connectionOptionsShape,
    /** Groups to watch by name. */
    groups: z.array(z.string().min(1, 'must not be empty')).optional(),
    /** Or every group whose id matches (listed again each round). */
    groupPattern: z.union([z.instanceof(RegExp), z.string().min(1)]).optional(),
    intervalMs: z.number().int().min(100).max(3_600_000).default(lagMonitorDefaults.intervalMs),
    window: z.number().int().min(2).max(1_000).default(lagMonitorDefaults.window),
    allowedLag: z.number().int().min(0).default(lagMonitorDefaults.allowedLag),
    /** Points kept per partition for the time lag. */
    tableCapacity: z.number().int().min(3).max(10_000).default(lagMonitorDefaults.tableCapacity),
    /** Register OpenTelemetry gauges (through @opentelemetry/api). */
    metrics: z.boolean().default(true),
  })
  .superRefine((o, ctx) => {
    if ((o.groups === undefined) === (o.groupPattern === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['groups'],
        message: 'give exactly one of groups and groupPattern',
      });
    }
  });

export type LagMonitorOptions = z.input<typeof lagMonitorSchema>;

const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Samples consumer-group lag from the cluster: committed offsets, log-end offsets and group
 * membership, a fixed number of admin requests per round whatever the partition count. It
 * needs no member of the group to run, so it reports a group whose consumers are all gone.
 */
export class LagMonitor extends EventEmitter<{ report: [GroupLagReport]; round: [LagRound] }> {
  readonly options: z.output<typeof lagMonitorSchema>;
  private readonly logger: Logger;
  private readonly admin: Admin;
  private readonly tables = new Map<string, OffsetTimeTable>();
  // group + topic-partition -> its last `window` samples
  private readonly samples = new Map<string, LagSample[]>();
  private readonly latest = new Map<string, GroupLagReport>();
  private timer: NodeJS.Timeout | undefined;
  private connected = false;
  private round: Promise<GroupLagReport[]> | undefined;
  private unregisterGauges: (() => void) | undefined;
  /** Time of the last round that completed, and its error if it failed. */
  lastRound: { at: number; error?: Error } | undefined;

  constructor(input: LagMonitorOptions) {
    super();
    this.options = parseOptions(lagMonitorSchema, input, 'lag monitor');
    this.logger = this.options.logger ?? jsonLogger('info');
    this.admin = createKafkaJsClient(this.options, this.logger).admin();
  }

  /**
   * Samples now, then every `intervalMs` until `stop()`. A round that fails (the cluster
   * unreachable, a topic whose metadata is not there yet) is logged once and retried at the
   * next interval: lag reporting is never off for good because a round failed. Only what
   * retrying cannot mend rejects, with the timer stopped: a refused login
   * (AUTHENTICATION_FAILED) or another SDK error that is not retriable.
   */
  async start(): Promise<void> {
    if (this.options.metrics) this.unregisterGauges ??= lagGauges(() => this.reports());
    this.timer ??= setInterval(() => {
      this.sample().catch(() => undefined); // logged by sample()
    }, this.options.intervalMs);
    try {
      await this.sample();
    } catch (err) {
      if (KafkaSdkError.is(err) && !err.retriable) {
        await this.stop();
        throw err;
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unregisterGauges?.();
    this.unregisterGauges = undefined;
    await this.round?.catch(() => undefined);
    if (this.connected) {
      this.connected = false;
      await this.admin.disconnect();
    }
  }

  private async connect(): Promise<void> {
    if (this.connected) return;
    try {
      await connectClient(this.admin, this.options);
    } catch (err) {
      // A refused login stays AUTHENTICATION_FAILED: retrying will not help.
      if (KafkaSdkError.is(err)) throw err;
      throw new KafkaSdkError(
        'LAG_MONITOR_CONNECT_FAILED',
        `cannot reach the cluster at ${this.options.brokers.join(',')}: ${(err as Error).message}`,
        { cause: err, retriable: true },
      );
    }
    this.connected = true;
  }

  /** The latest report of every watched group. */
  reports(): GroupLagReport[] {
    return [...this.latest.values()];
  }

  /** The latest report of `group`, or undefined when it was not seen. */
  report(group: string): GroupLagReport | undefined {
    return this.latest.get(group);
  }

  /**
   * One sampling round now (rounds never overlap). Emits `round` either way; a failure is
   * logged when rounds start failing and when they recover, not at every round.
   */
  sample(): Promise<GroupLagReport[]> {
    this.round = (this.round ?? Promise.resolve([]))
      .catch(() => [])
      .then(async () => {
        const at = Date.now();
        try {
          await this.connect();
          const reports = await this.sampleRound(at);
          if (this.lastRound?.error) this.logger.info('lag sampling recovered');
          this.lastRound = { at: Date.now() };
          this.emit('round', { at, durationMs: Date.now() - at, groups: reports.length });
          return reports;
        } catch (err) {
          const error = err as Error;
          if (!this.lastRound?.error || this.lastRound.error.message !== error.message) {
            this.logger.warn('lag sampling failed; retrying every interval', {
              error: error.message,
              intervalMs: this.options.intervalMs,
            });
          }
          this.lastRound = { at: Date.now(), error };
          this.emit('round', { at, durationMs: Date.now() - at, groups: 0, error });
          throw err;
        }
      });
    return this.round;
  }

  private async watchedGroups(): Promise<string[]> {
    const { groups, groupPattern } = this.options;
    if (groups) return [...groups];
    const pattern = typeof groupPattern === 'string' ? new RegExp(groupPattern) : groupPattern!;
    const { groups: listed } = await this.admin.listGroups();
    return listed
      .map((g) => g.groupId)
      .filter((id) => pattern.test(id))
      .sort();
  }

  private async sampleRound(now: number): Promise<GroupLagReport[]> {
    const groupIds = await this.watchedGroups();
    this.forgetAllBut(new Set(groupIds));
    if (groupIds.length === 0) return [];
    // Requests per round: one DescribeGroups, one OffsetFetch per group, and the log ends of
    // each topic (one ListOffsets per leader broker): none of them per partition.
    const { groups } = await this.admin.describeGroups(groupIds);
    const committedByGroup = new Map(
      await Promise.all(
        groupIds.map(
          async (groupId) => [groupId, await this.admin.fetchOffsets({ groupId })] as const,
        ),
      ),
    );
    const owners = new Map<string, Map<string, GroupMember>>();
    const memberLists = new Map<string, GroupMember[]>();
    const topics = new Set<string>();
    for (const g of groups) {
      const owned = new Map<string, GroupMember>();
      const memberList: GroupMember[] = [];
      memberLists.set(g.groupId, memberList);
      for (const m of g.members) {
        const assignment = Object.entries(decodeAssignment(m.memberAssignment));
        const member: GroupMember = {
          memberId: m.memberId,
          clientId: m.clientId,
          host: m.clientHost.replace(/^\//, ''),
          partitions: assignment.reduce((n, [, partitions]) => n + partitions.length, 0),
        };
        memberList.push(member);
        for (const [topic, partitions] of assignment) {
          topics.add(topic);
          for (const p of partitions) owned.set(tpKey(topic, p), member);
        }
      }
      owners.set(g.groupId, owned);
    }
    for (const offsets of committedByGroup.values()) {
      for (const t of offsets) topics.add(t.topic);
    }
    const existing = new Set(await this.admin.listTopics());
    const logEnds = new Map<string, bigint>();
    const logStarts = new Map<string, string>();
    await Promise.all(
      [...topics]
        .filter((t) => existing.has(t))
        .map(async (topic) => {
          for (const p of await logEndOffsets(this.admin, topic)) {
            const end = BigInt(p.high);
            logEnds.set(tpKey(topic, p.partition), end);
            logStarts.set(tpKey(topic, p.partition), p.low);
            let table = this.tables.get(tpKey(topic, p.partition));
            if (!table) {
              table = new OffsetTimeTable(this.options.tableCapacity);
              this.tables.set(tpKey(topic, p.partition), table);
            }
            table.add(end, now);
          }
        }),
    );

    const reports: GroupLagReport[] = [];
    for (const groupId of groupIds) {
      const description = groups.find((g) => g.groupId === groupId);
      const committed = committedByGroup.get(groupId) ?? [];
      const owned = owners.get(groupId) ?? new Map<string, GroupMember>();
      const members = { owned, list: memberLists.get(groupId) ?? [] };
      const offsets = { logEnds, logStarts };
      const report = this.groupReport(groupId, description, committed, members, offsets, now);
      if (!report) {
        this.latest.delete(groupId);
        continue;
      }
      this.latest.set(groupId, report);
      reports.push(report);
      this.emit('report', report);
    }
    return reports;
  }

  /**
   * Drops what is kept of groups no longer watched (deleted, or no longer matching the
   * pattern): their last report would otherwise be served as current for ever.
   */
  private forgetAllBut(watched: ReadonlySet<string>): void {
    for (const group of this.latest.keys()) if (!watched.has(group)) this.latest.delete(group);
    for (const key of this.samples.keys()) {
      if (!watched.has(key.slice(0, key.indexOf('\u0000')))) this.samples.delete(key);
    }
  }

  private groupReport(
    groupId: string,
    description: { state: string; protocolType: string } | undefined,
    committed: readonly { topic: string; partitions: { partition: number; offset: string }[] }[],
    members: { owned: ReadonlyMap<string, GroupMember>; list: readonly GroupMember[] },
    offsets: {
      logEnds: ReadonlyMap<string, bigint>;
      logStarts: ReadonlyMap<string, string>;
    },
    now: number,
  ): GroupLagReport | undefined {
    const { logEnds, logStarts } = offsets;
    const { owned } = members;
    const state = description?.state ?? 'Dead';
    const partitions: PartitionLag[] = [];
    const rules = { window: this.options.window, allowedLag: BigInt(this.options.allowedLag) };
    const seen = new Set<string>();
    const add = (topic: string, partition: number, offset: string | undefined) => {
      const key = tpKey(topic, partition);
      const logEnd = logEnds.get(key);
      if (logEnd === undefined || seen.has(key)) return;
      seen.add(key);
      const member = owned.get(key);
      const owner = member?.clientId ?? null;
      const ownership = {
        owner,
        ownerMemberId: member?.memberId ?? null,
        ownerHost: member?.host ?? null,
        logStart: logStarts.get(key) ?? null,
      };
      const samplesKey = `${groupId}\u0000${key}`;
      if (offset === undefined || BigInt(offset) < 0n) {
        this.samples.delete(samplesKey);
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
      const at = BigInt(offset);
      let samples = this.samples.get(samplesKey);
      if (!samples) this.samples.set(samplesKey, (samples = []));
      samples.push({ at: now, committed: at, logEnd });
      if (samples.length > rules.window) samples.shift();
      const judged = judgePartition(samples, owner !== null, rules);
      const seconds = lagSeconds(this.tables.get(key)!, at, logEnd, now);
      partitions.push({
        topic,
        partition,
        logEnd: String(logEnd),
        committed: offset,
        lag: Number(logEnd > at ? logEnd - at : 0n),
        lagSeconds: seconds === undefined ? null : Math.round(seconds * 1000) / 1000,
        status: isRetryTopic(topic) ? 'OK' : judged.status,
        complete: judged.complete,
        ...ownership,
      });
    };
    for (const t of committed) for (const p of t.partitions) add(t.topic, p.partition, p.offset);
    for (const key of owned.keys()) {
      const [topic, partition] = key.split('\u0000') as [string, string];
      add(topic, Number(partition), undefined);
    }
    if (partitions.length === 0 && state === 'Dead') return undefined;
    partitions.sort((a, b) =>
      a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
    );

    const summary = summarizeGroup(partitions);
    return {
      group: groupId,
      at: now,
      state,
      protocolType: description?.protocolType ?? '',
      members: members.list.length,
      memberList: members.list,
      ...summary,
      partitions,
    };
  }
}

function decodeAssignment(buffer: Buffer): Record<string, number[]> {
  if (buffer.length === 0) return {};
  try {
    return AssignerProtocol.MemberAssignment.decode(buffer)?.assignment ?? {};
  } catch {
    // A member of a non-consumer protocol (Connect, Streams with a custom format).
    return {};
  }
}
