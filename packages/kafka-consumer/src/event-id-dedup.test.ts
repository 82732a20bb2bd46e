import { eventIdHeader } from '@org/kafka-core';
import { describe, expect, it } from 'vitest';
import { deduplicateByEventId, inMemoryEventIdStore } from './event-id-dedup.js';
import type { ConsumedRecord, EachMessageHandler, HandlerContext } from './types.js';

/** A handler that does `effect` and succeeds. */
const doing =
  (effect: (r: ConsumedRecord) => void): EachMessageHandler =>
  (r) => {
    effect(r);
    return Promise.resolve();
  };

const ctx: HandlerContext = { signal: new AbortController().signal };

function record(eventId: string | undefined, topic = 'orders', offset = '0'): ConsumedRecord {
  return {
    topic,
    partition: 0,
    offset,
    timestamp: '0',
    key: null,
    value: Buffer.from(offset),
    headers: eventId === undefined ? {} : { [eventIdHeader]: Buffer.from(eventId) },
    attempt: 1,
    receivedFrom: { topic, partition: 0, offset, tier: 0 },
  };
}

describe('deduplicateByEventId', () => {
  it('runs the first copy and skips later ones, telling onDuplicate', async () => {
    const handled: string[] = [];
    const duplicates: string[] = [];
    const wrapped = deduplicateByEventId(
      doing((r) => handled.push(r.offset)),
      { onDuplicate: (r, id) => duplicates.push(`${r.offset}:${id}`) },
    );
    await wrapped(record('e1', 'orders', '1'), ctx);
    await wrapped(record('e2', 'orders', '2'), ctx);
    await wrapped(record('e1', 'orders', '3'), ctx);
    expect(handled).toEqual(['1', '2']);
    expect(duplicates).toEqual(['3:e1']);
  });

  it('always runs a record without the header', async () => {
    let calls = 0;
    const wrapped = deduplicateByEventId(doing(() => calls++));
    await wrapped(record(undefined), ctx);
    await wrapped(record(undefined), ctx);
    expect(calls).toBe(2);
  });

  it('remembers an id only after the handler succeeded, so a failed record runs again', async () => {
    let fail = true;
    let calls = 0;
    const wrapped = deduplicateByEventId(() => {
      calls++;
      return fail ? Promise.reject(new Error('warehouse down')) : Promise.resolve();
    });
    await expect(wrapped(record('e1'), ctx)).rejects.toThrow('warehouse down');
    fail = false;
    await wrapped(record('e1'), ctx);
    await wrapped(record('e1'), ctx);
    expect(calls).toBe(2);
  });

  it('keeps ids per topic', async () => {
    const handled: string[] = [];
    const wrapped = deduplicateByEventId(doing((r) => handled.push(r.topic)));
    await wrapped(record('e1', 'orders'), ctx);
    await wrapped(record('e1', 'payments'), ctx);
    expect(handled).toEqual(['orders', 'payments']);
  });

  it('makes a copy that arrives during the first one wait for its outcome', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const wrapped = deduplicateByEventId(async () => {
      calls++;
      await gate;
    });
    const first = wrapped(record('e1', 'orders', '1'), ctx);
    const second = wrapped(record('e1', 'orders', '2'), ctx);
    release();
    await Promise.all([first, second]);
    expect(calls).toBe(1);
  });

  it('forgets the oldest id once the window is full', async () => {
    const store = inMemoryEventIdStore(2);
    await store.add('t', 'a');
    await store.add('t', 'b');
    await store.add('t', 'c');
    expect([
      await store.has('t', 'a'),
      await store.has('t', 'b'),
      await store.has('t', 'c'),
    ]).toEqual([false, true, true]);
    expect(() => inMemoryEventIdStore(0)).toThrow('window: expected a positive integer, got 0');
  });

  it('uses a store the service brings', async () => {
    const seen = new Set(['orders/e9']);
    const added: string[] = [];
    let calls = 0;
    const wrapped = deduplicateByEventId(
      doing(() => calls++),
      {
        store: {
          has: (t, id) => Promise.resolve(seen.has(`${t}/${id}`)),
          add: (t, id) => {
            added.push(`${t}/${id}`);
          },
        },
      },
    );
    await wrapped(record('e9'), ctx);
    await wrapped(record('e1'), ctx);
    expect(calls).toBe(1);
    expect(added).toEqual(['orders/e1']);
  });
});
