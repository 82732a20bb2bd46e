import { murmur2 } from '@org/kafka-producer';
import { NonRetriableError } from '@org/kafka-consumer';
import type { ReceivedOrderEvent } from '../order-event.js';

/** How the simulated warehouse treats one event. */
export type WarehouseTrouble =
  | { readonly kind: 'none' }
  /** Times out on the first `failures` attempts, then works. */
  | { readonly kind: 'transient'; readonly failures: number }
  | { readonly kind: 'permanent' };

/**
 * Which events the simulated warehouse has trouble with: a stable choice by event id, so a
 * retried event meets the same trouble, and the demo can say in advance what to expect.
 * A transient failure lasts 1 to 3 attempts: one is retried in place, more go through the
 * retry topics.
 */
export function warehouseTrouble(
  eventId: string,
  percent: { readonly transient: number; readonly permanent: number },
): WarehouseTrouble {
  const h = (murmur2(Buffer.from(eventId)) >>> 0) % 10_000;
  if (h < percent.permanent * 100) return { kind: 'permanent' };
  if (h < (percent.permanent + percent.transient) * 100)
    return { kind: 'transient', failures: 1 + (h % 3) };
  return { kind: 'none' };
}

/** A warehouse API that did not answer in time: worth another try. */
export class WarehouseTimeout extends Error {
  override readonly name = 'WarehouseTimeout';
}

/**
 * Fulfils one event: reserves stock for a placed order, prepares a paid one, hands a shipped
 * one to the carrier. Throws WarehouseTimeout (retriable) or NonRetriableError (the event
 * can never be fulfilled) as the simulated warehouse decides.
 */
export function fulfil(
  event: ReceivedOrderEvent,
  attempt: number,
  trouble: WarehouseTrouble,
): string {
  if (trouble.kind === 'permanent') {
    throw new NonRetriableError(
      `${event.orderId}: the warehouse refuses ${event.type}: unknown delivery address`,
    );
  }
  if (trouble.kind === 'transient' && attempt <= trouble.failures) {
    throw new WarehouseTimeout(`${event.orderId}: warehouse API timed out (attempt ${attempt})`);
  }
  switch (event.type) {
    case 'ORDER_PLACED':
      return `reserved ${event.placed?.lines.length ?? 0} lines`;
    case 'ORDER_PAID':
      return `picking, payment ${event.paid?.paymentId ?? '?'}`;
    case 'ORDER_SHIPPED':
      return `handed to ${event.shipped?.carrier ?? '?'}`;
  }
}
