/** An event as found in the orders topic after the run. */
export interface StoredEvent {
  readonly eventId: string;
  readonly orderId: string;
  readonly vip: boolean;
  readonly partition: number;
}

export interface DemoCounts {
  /** What the order service says it had acknowledged. */
  readonly publishedAcknowledged: number;
  /** Every event in the orders topic. */
  readonly stored: readonly StoredEvent[];
  /** Event ids in the fulfilment ledger, one entry per time fulfilled. */
  readonly fulfilled: readonly string[];
  /** Event ids found in the dead-letter topic. */
  readonly deadLettered: readonly string[];
  readonly failedAttempts: number;
  readonly retriesScheduled: number;
  readonly partitions: number;
  readonly vipPartitions: number;
}

export interface PartitionSpread {
  readonly events: number;
  /** Partitions that received at least one event. */
  readonly partitions: readonly number[];
  /** Events outside the tier's partitions (must be 0). */
  readonly misplaced: number;
}

export interface DemoSummary {
  readonly published: number;
  readonly orders: number;
  readonly stored: number;
  readonly processed: number;
  readonly processedMoreThanOnce: number;
  readonly failedAttempts: number;
  readonly retriesScheduled: number;
  readonly deadLettered: number;
  /** Stored events neither fulfilled nor dead-lettered. */
  readonly lost: number;
  readonly lostEventIds: readonly string[];
  readonly vip: PartitionSpread;
  readonly standard: PartitionSpread;
}

/**
 * What happened to every event: the orders topic is the truth of what was published; each
 * stored event must be in the fulfilment ledger or in the dead-letter topic, or it was lost.
 */
export function summarise(counts: DemoCounts): DemoSummary {
  const fulfilled = new Map<string, number>();
  for (const id of counts.fulfilled) fulfilled.set(id, (fulfilled.get(id) ?? 0) + 1);
  const dead = new Set(counts.deadLettered);
  const lostEventIds = counts.stored
    .filter((e) => !fulfilled.has(e.eventId) && !dead.has(e.eventId))
    .map((e) => e.eventId);
  const spread = (vip: boolean): PartitionSpread => {
    const events = counts.stored.filter((e) => e.vip === vip);
    const inTier = (p: number) => (vip ? p < counts.vipPartitions : p >= counts.vipPartitions);
    return {
      events: events.length,
      partitions: [...new Set(events.map((e) => e.partition))].sort((a, b) => a - b),
      misplaced: events.filter((e) => !inTier(e.partition)).length,
    };
  };
  return {
    published: counts.publishedAcknowledged,
    orders: new Set(counts.stored.map((e) => e.orderId)).size,
    stored: counts.stored.length,
    processed: fulfilled.size,
    processedMoreThanOnce: [...fulfilled.values()].filter((n) => n > 1).length,
    failedAttempts: counts.failedAttempts,
    retriesScheduled: counts.retriesScheduled,
    deadLettered: dead.size,
    lost: lostEventIds.length,
    lostEventIds: lostEventIds.slice(0, 20),
    vip: spread(true),
    standard: spread(false),
  };
}

const n = (value: number) => value.toLocaleString('en-US');

/** A partition list as ranges: [0,1,2,5] -> "0-2, 5". */
export function partitionRanges(partitions: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < partitions.length;) {
    let j = i;
    while (j + 1 < partitions.length && partitions[j + 1] === partitions[j]! + 1) j++;
    ranges.push(i === j ? `${partitions[i]}` : `${partitions[i]}-${partitions[j]}`);
    i = j + 1;
  }
  return ranges.join(', ') || 'none';
}

/** The summary as the demo prints it. */
export function renderSummary(s: DemoSummary, topic: string): string {
  const rows: [string, string][] = [
    [
      'published',
      `${n(s.published)} events acknowledged (${n(s.orders)} orders); ${n(s.stored)} in ${topic}`,
    ],
    [
      'processed',
      `${n(s.processed)} events fulfilled${s.processedMoreThanOnce > 0 ? ` (${n(s.processedMoreThanOnce)} more than once: at-least-once)` : ''}`,
    ],
    [
      'retried',
      `${n(s.failedAttempts)} failed attempts; ${n(s.retriesScheduled)} hand-offs to retry topics`,
    ],
    ['dead-lettered', `${n(s.deadLettered)} events (in ${topic}.dlq, with the reason)`],
    ['lost', `${n(s.lost)}${s.lost > 0 ? `: ${s.lostEventIds.join(', ')}` : ''}`],
    [
      'VIP orders',
      `${n(s.vip.events)} events on partitions ${partitionRanges(s.vip.partitions)}, ${n(s.vip.misplaced)} elsewhere; standard ${n(s.standard.events)} on ${partitionRanges(s.standard.partitions)}, ${n(s.standard.misplaced)} elsewhere`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}
