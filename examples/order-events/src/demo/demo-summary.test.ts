import { describe, expect, it } from 'vitest';
import { partitionRanges, renderSummary, summarise, type StoredEvent } from './demo-summary.js';

const stored: StoredEvent[] = [
  { eventId: 'o1-placed', orderId: 'o1', vip: true, partition: 0 },
  { eventId: 'o1-paid', orderId: 'o1', vip: true, partition: 0 },
  { eventId: 'o2-placed', orderId: 'o2', vip: false, partition: 8 },
  { eventId: 'o2-paid', orderId: 'o2', vip: false, partition: 8 },
  { eventId: 'o3-placed', orderId: 'o3', vip: false, partition: 9 },
  { eventId: 'o4-placed', orderId: 'o4', vip: true, partition: 7 },
];

const counts = {
  committed: stored.map((e) => e.eventId),
  stored,
  fulfilled: ['o1-placed', 'o1-paid', 'o2-placed', 'o2-placed', 'o3-placed', 'o4-placed'],
  deadLettered: ['o2-paid'],
  failedAttempts: 5,
  retriesScheduled: 2,
  duplicatesSkipped: 0,
  partitions: 10,
  vipPartitions: 8,
};

describe('summarise', () => {
  it('accounts for every stored event: fulfilled, dead-lettered or lost', () => {
    const s = summarise(counts);
    expect(s).toMatchObject({
      committed: 6,
      published: 6,
      orders: 4,
      stored: 6,
      resent: 0,
      notInKafka: 0,
      processed: 5,
      processedMoreThanOnce: 1,
      deadLettered: 1,
      lost: 0,
      vip: { events: 3, partitions: [0, 7], misplaced: 0 },
      standard: { events: 3, partitions: [8, 9], misplaced: 0 },
    });
  });

  it('counts a committed event missing from the topic as lost, and copies as re-sent', () => {
    const s = summarise({
      ...counts,
      committed: [...counts.committed, 'o9-placed'],
      stored: [...stored, stored[0]!],
      fulfilled: [...counts.fulfilled],
      duplicatesSkipped: 1,
    });
    expect(s).toMatchObject({
      committed: 7,
      published: 6,
      stored: 7,
      resent: 1,
      notInKafka: 1,
      notCommitted: 0,
    });
    expect(s.lost).toBe(1);
    expect(s.lostEventIds).toEqual(['o9-placed']);
  });

  it('counts an event in the topic that PostgreSQL never committed', () => {
    expect(summarise({ ...counts, committed: counts.committed.slice(1) }).notCommitted).toBe(1);
  });

  it('names lost events and misplaced ones', () => {
    const s = summarise({
      ...counts,
      stored: [...stored, { eventId: 'o5-placed', orderId: 'o5', vip: true, partition: 9 }],
    });
    expect(s.lost).toBe(1);
    expect(s.lostEventIds).toEqual(['o5-placed']);
    expect(s.vip.misplaced).toBe(1);
    expect(renderSummary(s, 'orders')).toContain('lost           1: o5-placed');
  });

  it('renders one line per figure', () => {
    const text = renderSummary(summarise(counts), 'orders');
    expect(text.split('\n')).toEqual([
      '  committed      6 events, each in one PostgreSQL transaction with its order (transactional outbox)',
      '  published      6 events in orders (4 orders): 0 committed ones missing, 0 not committed; 0 copies re-sent by the relay after the kill',
      '  processed      5 events fulfilled (1 more than once: at-least-once)',
      '  retried        5 failed attempts; 2 hand-offs to retry topics',
      '  dead-lettered  1 events (in orders.dlq, with the reason)',
      '  lost           0',
      '  VIP orders     3 events on partitions 0, 7, 0 elsewhere; standard 3 on 8-9, 0 elsewhere',
    ]);
  });
});

describe('partitionRanges', () => {
  it('joins runs into ranges', () => {
    expect(partitionRanges([0, 1, 2, 3, 4, 5, 6, 7])).toBe('0-7');
    expect(partitionRanges([0, 2, 3, 9])).toBe('0, 2-3, 9');
    expect(partitionRanges([])).toBe('none');
  });
});
