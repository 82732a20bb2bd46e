import { EventEmitter } from 'node:events';
import {
  KafkaSdkError,
  connectClient,
  createKafkaJsClient,
  jsonLogger,
  parseOptions,
  type Logger,
} from '@org/kafka-core';
import type { Admin } from 'kafkajs';
import { groupMembership } from './group-membership.js';
import { groupReport, type LogOffsets } from './group-report.js';
import { lagGauges } from './lag-gauges.js';
import { LagHistory } from './lag-history.js';
import { logEndOffsets } from './log-end-offsets.js';
import {
  lagMonitorSchema,
  type LagMonitorOptions,
  type ResolvedLagMonitorOptions,
} from './options.js';
import { PartitionMap } from './partition-map.js';
import type { GroupLagReport, LagRound } from './types.js';

/**
 * Samples consumer-group lag from the cluster: committed offsets, log-end offsets and group
 * membership, a fixed number of admin requests per round whatever the partition count. It
 * needs no member of the group to run, so it reports a group whose consumers are all gone.
 */
export class LagMonitor extends EventEmitter<{ report: [GroupLagReport]; round: [LagRound] }> {
  readonly options: ResolvedLagMonitorOptions;
  private readonly logger: Logger;
  private readonly admin: Admin;
  private readonly history: LagHistory;
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
    this.history = new LagHistory(this.options.tableCapacity);
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
    const described = new Map(groups.map((g) => [g.groupId, g]));
    const memberships = new Map(groups.map((g) => [g.groupId, groupMembership(g.members)]));
    const topics = new Set<string>();
    for (const m of memberships.values()) for (const t of m.owners.topicNames()) topics.add(t);
    for (const offsets of committedByGroup.values()) for (const t of offsets) topics.add(t.topic);
    const existing = new Set(await this.admin.listTopics());
    const logOffsets = new PartitionMap<LogOffsets>();
    await Promise.all(
      [...topics]
        .filter((t) => existing.has(t))
        .map(async (topic) => {
          for (const p of await logEndOffsets(this.admin, topic)) {
            const end = BigInt(p.high);
            logOffsets.set(topic, p.partition, { end, start: p.low });
            this.history.logEndSeen(topic, p.partition, end, now);
          }
        }),
    );

    const rules = { window: this.options.window, allowedLag: BigInt(this.options.allowedLag) };
    const reports: GroupLagReport[] = [];
    for (const groupId of groupIds) {
      const report = groupReport(
        {
          groupId,
          at: now,
          description: described.get(groupId),
          committed: committedByGroup.get(groupId) ?? [],
          membership: memberships.get(groupId) ?? groupMembership([]),
          logOffsets,
        },
        this.history,
        rules,
      );
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
    this.history.forgetGroupsBut(watched);
  }
}
