import { eventIdHeader, headerText } from '@org/kafka-core';
import type { ConsumedRecord, EachMessageHandler } from './types.js';

/**
 * Where processed event ids are remembered. The default keeps a window in memory; a service
 * whose handler writes to a database can remember ids in the same transaction as its effects
 * (a `processed_events` table), which also survives restarts.
 */
export interface EventIdStore {
  /** True when `eventId` was processed on `topic` before. */
  has(topic: string, eventId: string): boolean | Promise<boolean>;
  /** Called after the handler succeeded for `eventId`. */
  add(topic: string, eventId: string): void | Promise<void>;
}

export interface DeduplicateOptions {
  /** Default: the last `window` ids per topic, in memory. */
  readonly store?: EventIdStore;
  /** Ids the in-memory store keeps per topic. Default 100 000. */
  readonly window?: number;
  /** Told about each record that was skipped as a duplicate (to log or count it). */
  readonly onDuplicate?: (record: ConsumedRecord, eventId: string) => void;
}

/** The default size of the in-memory window, per topic. */
export const defaultDedupWindow = 100_000;

/** The last `window` ids per topic; the oldest is forgotten first. */
export function inMemoryEventIdStore(window: number = defaultDedupWindow): EventIdStore {
  if (!Number.isInteger(window) || window < 1) {
    throw new RangeError(`window: expected a positive integer, got ${window}`);
  }
  const byTopic = new Map<string, Set<string>>();
  return {
    has: (topic, id) => byTopic.get(topic)?.has(id) ?? false,
    add(topic, id) {
      let ids = byTopic.get(topic);
      if (!ids) byTopic.set(topic, (ids = new Set()));
      ids.delete(id);
      ids.add(id);
      // A Set iterates in insertion order: the first is the oldest.
      if (ids.size > window) ids.delete(ids.values().next().value as string);
    },
  };
}

/**
 * Wraps an `eachMessage` handler so that a record whose `x-event-id` header (set by the
 * outbox relay) was already processed is skipped: its offset is committed, the handler is
 * not called. A record without the header always runs. An id is remembered only after the
 * handler succeeded, so a failed record still goes through retries; a copy that arrives
 * while its first copy is being handled waits for that outcome.
 */
export function deduplicateByEventId(
  handler: EachMessageHandler,
  options: DeduplicateOptions = {},
): EachMessageHandler {
  const store = options.store ?? inMemoryEventIdStore(options.window);
  const inFlight = new Map<string, Promise<void>>();
  return async (record, ctx) => {
    const eventId = headerText(record.headers, eventIdHeader);
    if (eventId === undefined) return handler(record, ctx);
    const flightKey = `${record.topic}\u0000${eventId}`;
    // One copy of an id at a time: a later copy waits, then finds the id remembered.
    for (let earlier = inFlight.get(flightKey); earlier; earlier = inFlight.get(flightKey)) {
      await earlier;
    }
    let settle!: () => void;
    inFlight.set(flightKey, new Promise<void>((resolve) => (settle = resolve)));
    try {
      if (await store.has(record.topic, eventId)) {
        options.onDuplicate?.(record, eventId);
        return;
      }
      await handler(record, ctx);
      await store.add(record.topic, eventId);
    } finally {
      inFlight.delete(flightKey);
      settle();
    }
  };
}
