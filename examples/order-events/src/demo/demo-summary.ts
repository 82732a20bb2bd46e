/** An event as found in the orders topic after the run. */
export interface StoredEvent {
  readonly eventId: string;
  readonly orderId: string;
  readonly vip: boolean;
  readonly partition: number;
}

export interface DemoCounts {
  /** Event ids of the events committed with their orders in PostgreSQL (the outbox's input). */
  readonly committed: readonly string[];
  /** Every event in the orders topic, copies included. */
  readonly stored: readonly StoredEvent[];
  /** Event ids in the fulfilment ledger, one entry per time fulfilled. */
  readonly fulfilled: readonly string[];
  /** Event ids found in the dead-letter topic. */
  readonly deadLettered: readonly string[];
  readonly failedAttempts: number;
  readonly retriesScheduled: number;
  /** Copies the fulfilment service skipped by their x-event-id. */
  readonly duplicatesSkipped: number;
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
  /** Events committed in PostgreSQL. */
  readonly committed: number;
  /** Distinct events in the orders topic. */
  readonly published: number;
  readonly orders: number;
  /** Records in the orders topic, copies included. */
  readonly stored: number;
  /** Copies of an event already in the topic (re-sent by the relay after a crash). */
  readonly resent: number;
  /** Committed events missing from the topic (must be 0). */
  readonly notInKafka: number;
  /** Events in the topic that PostgreSQL does not hold as committed (must be 0). */
  readonly notCommitted: number;
  readonly notCommittedEventIds: readonly string[];
  readonly processed: number;
  readonly processedMoreThanOnce: number;
  readonly duplicatesSkipped: number;
  readonly failedAttempts: number;
  readonly retriesScheduled: number;
  readonly deadLettered: number;
  /** Committed events not in the topic, and stored events neither fulfilled nor dead-lettered. */
  readonly lost: number;
  readonly lostEventIds: readonly string[];
  readonly vip: PartitionSpread;
  readonly standard: PartitionSpread;
}

/**
 * What happened to every event: PostgreSQL is the truth of what was committed, and each
 * committed event must be in the orders topic; each event in the topic must be in the
 * fulfilment ledger or in the dead-letter topic. Anything else was lost.
 */
export function summarise(counts: DemoCounts): DemoSummary {
  const fulfilled = new Map<string, number>();
  for (const id of counts.fulfilled) fulfilled.set(id, (fulfilled.get(id) ?? 0) + 1);
  const dead = new Set(counts.deadLettered);
  const inTopic = new Set(counts.stored.map((e) => e.eventId));
  const notInKafka = counts.committed.filter((id) => !inTopic.has(id));
  const committed = new Set(counts.committed);
  const notCommittedIds = [...inTopic].filter((id) => !committed.has(id));
  const lostEventIds = [
    ...notInKafka,
    ...[...inTopic].filter((id) => !fulfilled.has(id) && !dead.has(id)),
  ];
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
    committed: counts.committed.length,
    published: inTopic.size,
    orders: new Set(counts.stored.map((e) => e.orderId)).size,
    stored: counts.stored.length,
    resent: counts.stored.length - inTopic.size,
    notInKafka: notInKafka.length,
    notCommitted: notCommittedIds.length,
    notCommittedEventIds: notCommittedIds.slice(0, 20),
    processed: fulfilled.size,
    processedMoreThanOnce: [...fulfilled.values()].filter((n) => n > 1).length,
    duplicatesSkipped: counts.duplicatesSkipped,
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
      'committed',
      `${n(s.committed)} events, each in one PostgreSQL transaction with its order (transactional outbox)`,
    ],
    [
      'published',
      `${n(s.published)} events in ${topic} (${n(s.orders)} orders): ${n(s.notInKafka)} committed ones missing, ${n(s.notCommitted)} not committed${s.notCommitted > 0 ? ` (${s.notCommittedEventIds.join(', ')})` : ''}; ${n(s.resent)} copies re-sent by the relay after the kill`,
    ],
    [
      'processed',
      `${n(s.processed)} events fulfilled${s.processedMoreThanOnce > 0 ? ` (${n(s.processedMoreThanOnce)} more than once: at-least-once)` : ''}${s.duplicatesSkipped > 0 ? `; ${n(s.duplicatesSkipped)} re-sent copies skipped by event id` : ''}`,
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
