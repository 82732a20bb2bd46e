import { eventIdHeader, KafkaSdkError } from '@org/kafka-core';
import { describe, expect, it } from 'vitest';
import { messageOfRow, newRows, type OutboxRecord, type OutboxRow } from './outbox-row.js';
import { outboxShards, shardOfKey } from './table-layout.js';

const ids = () => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};

function refusal(record: unknown): string {
  try {
    newRows(record as OutboxRecord, null, ids());
  } catch (err) {
    expect(KafkaSdkError.is(err) && err.code).toBe('OUTBOX_RECORD_INVALID');
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('newRows', () => {
  it('writes one row per message with its own event id, the key shard and the trace context', () => {
    const rows = newRows(
      {
        topic: 'orders',
        messages: [
          {
            key: 'order-1',
            value: '{"a":1}',
            headers: { source: 'web', tags: ['x', Buffer.from([0, 255])] },
          },
          { key: null, value: null, partition: 2 },
        ],
      },
      { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      ids(),
    );
    expect(rows[0]).toEqual({
      eventId: '00000000-0000-4000-8000-000000000001',
      shard: shardOfKey(Buffer.from('order-1')),
      topic: 'orders',
      key: Buffer.from('order-1'),
      value: Buffer.from('{"a":1}'),
      headers: [
        ['source', Buffer.from('web').toString('base64')],
        ['tags', Buffer.from('x').toString('base64')],
        ['tags', 'AP8='],
      ],
      partition: null,
      traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    expect(rows[1]).toMatchObject({ key: null, value: null, partition: 2, headers: [] });
    expect(rows[1]?.shard).toBe(shardOfKey('00000000-0000-4000-8000-000000000002'));
  });

  it('gives a key the same shard every time, within the schema range', () => {
    for (let i = 0; i < 2_000; i++) {
      const shard = shardOfKey(`customer-${i}`);
      expect(shard).toBe(shardOfKey(Buffer.from(`customer-${i}`)));
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(outboxShards);
    }
  });

  it.each([
    [null, 'record: expected { topic, messages }'],
    [{ topic: '', messages: [{ value: 'x' }] }, 'topic: "" is not a legal Kafka topic name'],
    [{ topic: 'a b', messages: [{ value: 'x' }] }, 'topic: "a b" is not a legal Kafka topic name'],
    [{ topic: 'orders', messages: [] }, 'messages: expected a non-empty array'],
    [
      { topic: 'orders', messages: [{ key: 'k' }] },
      'messages[0].value: is required (null for a tombstone)',
    ],
    [
      { topic: 'orders', messages: [{ value: 'x' }, { value: 5 }] },
      'messages[1].value: expected a string, a Buffer or null, got number',
    ],
    [
      { topic: 'orders', messages: [{ key: {}, value: 'x' }] },
      'messages[0].key: expected a string, a Buffer or null, got object',
    ],
    [
      { topic: 'orders', messages: [{ value: 'x', partition: -1 }] },
      'messages[0].partition: expected a non-negative integer, got -1',
    ],
    [
      { topic: 'orders', messages: [{ value: 'x', headers: { h: ['a', 7] } }] },
      'messages[0].headers.h[1]: expected a string, a Buffer or null, got number',
    ],
    [
      { topic: 'orders', messages: [{ value: 'x', headers: { h: null } }] },
      'messages[0].headers.h: is required',
    ],
    [
      { topic: 'orders', messages: [{ value: 'x', headers: [] }] },
      'messages[0].headers: expected an object',
    ],
    [
      { topic: 'orders', messages: [{ value: 'x', headers: { [eventIdHeader]: 'mine' } }] },
      `messages[0].headers.${eventIdHeader}: is set by the outbox relay`,
    ],
  ])('refuses %j, naming the field', (record, expected) => {
    expect(refusal(record)).toContain(`enqueue: ${expected}`);
  });
});

describe('messageOfRow', () => {
  it('restores key, value, repeated headers and partition, and adds the event id header', () => {
    const [row] = newRows(
      {
        topic: 'orders',
        messages: [
          {
            key: 'k',
            value: Buffer.from([1, 2, 3]),
            headers: { a: '1', b: ['x', 'y'] },
            partition: 4,
          },
        ],
      },
      null,
      ids(),
    );
    const message = messageOfRow({ ...(row as OutboxRow), id: '1', createdAt: new Date() });
    expect(message).toEqual({
      key: Buffer.from('k'),
      value: Buffer.from([1, 2, 3]),
      headers: {
        a: Buffer.from('1'),
        b: [Buffer.from('x'), Buffer.from('y')],
        [eventIdHeader]: '00000000-0000-4000-8000-000000000001',
      },
      partition: 4,
    });
  });

  it('leaves the partition to the partitioner when none was forced', () => {
    const [row] = newRows({ topic: 'orders', messages: [{ key: 'k', value: 'v' }] }, null, ids());
    expect(
      messageOfRow({ ...(row as OutboxRow), id: '1', createdAt: new Date() }),
    ).not.toHaveProperty('partition');
  });
});
