import { decimalToBytes } from '@org/kafka-serdes';
import type { OrderEvent } from '../order-event.js';

export interface OrderFlowOptions {
  /** New orders per second. */
  readonly ordersPerSecond: number;
  /** Customer ids orders are spread over. */
  readonly customers: readonly string[];
  readonly vipCustomers: ReadonlySet<string>;
  /** How long after placing an order it is paid, and after paying shipped. */
  readonly stepDelayMs: number;
  /** The number of the first order placed (a restarted service goes on after the stored ones). */
  readonly firstOrderNumber?: number;
}

/** An order a previous run placed and did not ship, as the order store returns it. */
export interface ResumedOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly vip: boolean;
  readonly next: 'ORDER_PAID' | 'ORDER_SHIPPED';
}

interface OpenOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly vip: boolean;
  next: 'ORDER_PAID' | 'ORDER_SHIPPED';
  dueAt: number;
}

const carriers = ['DHL', 'UPS', 'PostNL'] as const;
const methods = ['CARD', 'INVOICE', 'WALLET'] as const;

/**
 * The business side of the order service, without I/O: orders are placed at a steady rate,
 * each is paid and then shipped `stepDelayMs` apart. `due(now)` returns the events whose
 * time has come; `drain()` the rest of the open orders' events (for a graceful stop).
 */
export class OrderFlow {
  private readonly open: OpenOrder[] = [];
  private placed = 0;
  private startedAt: number | undefined;

  constructor(private readonly options: OrderFlowOptions) {
    if (!(options.ordersPerSecond > 0)) throw new RangeError('ordersPerSecond must be > 0');
    if (options.customers.length === 0) throw new RangeError('customers must not be empty');
  }

  /** Orders placed so far. */
  get ordersPlaced(): number {
    return this.placed;
  }

  /** Takes over orders a previous run left open: their next steps fall due from `now`. */
  resume(orders: readonly ResumedOrder[], now: number): void {
    for (const o of orders) {
      this.open.push({ ...o, dueAt: now + this.options.stepDelayMs });
    }
  }

  /** Orders placed but not yet shipped. */
  get ordersOpen(): number {
    return this.open.length;
  }

  /** Events due at `now` (ms): new orders to keep the rate, then payments and shipments. */
  due(now: number, placeNew = true): OrderEvent[] {
    this.startedAt ??= now;
    const events: OrderEvent[] = [];
    if (placeNew) {
      const target = Math.floor(((now - this.startedAt) / 1000) * this.options.ordersPerSecond) + 1;
      while (this.placed < target) events.push(this.place(now));
    }
    for (let i = 0; i < this.open.length;) {
      const order = this.open[i]!;
      if (order.dueAt > now) {
        i++;
        continue;
      }
      const event = this.advance(order, now);
      events.push(event);
      if (event.type === 'ORDER_SHIPPED') this.open.splice(i, 1);
      else i++;
    }
    return events;
  }

  /** Every remaining event of the open orders, in order, stamped `now` (a graceful stop). */
  drain(now: number): OrderEvent[] {
    const events: OrderEvent[] = [];
    for (const order of this.open.splice(0)) {
      if (order.next === 'ORDER_PAID') events.push(this.advance(order, now));
      events.push(this.advance(order, now));
    }
    return events;
  }

  private place(now: number): OrderEvent {
    const n = this.placed++ + (this.options.firstOrderNumber ?? 0);
    const customerId = this.options.customers[(n * 7919) % this.options.customers.length]!;
    const vip = this.options.vipCustomers.has(customerId);
    const orderId = `order-${String(n).padStart(6, '0')}`;
    this.open.push({
      orderId,
      customerId,
      vip,
      next: 'ORDER_PAID',
      dueAt: now + this.options.stepDelayMs,
    });
    const lines = Array.from({ length: (n % 3) + 1 }, (_, i) => ({
      sku: `sku-${(n + i) % 40}`,
      quantity: i + 1,
    }));
    const cents = 1_999 + ((n * 37) % 50_000);
    return {
      eventId: `${orderId}-placed`,
      type: 'ORDER_PLACED',
      orderId,
      customerId,
      vip,
      occurredAt: now,
      placed: {
        lines,
        total: decimalToBytes(
          `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
          2,
        ),
        currency: 'EUR',
      },
    };
  }

  private advance(order: OpenOrder, now: number): OrderEvent {
    const base = {
      orderId: order.orderId,
      customerId: order.customerId,
      vip: order.vip,
      occurredAt: now,
    };
    if (order.next === 'ORDER_PAID') {
      order.next = 'ORDER_SHIPPED';
      order.dueAt = now + this.options.stepDelayMs;
      return {
        ...base,
        eventId: `${order.orderId}-paid`,
        type: 'ORDER_PAID',
        paid: { paymentId: `pay-${order.orderId}`, method: methods[order.orderId.length % 3]! },
      };
    }
    return {
      ...base,
      eventId: `${order.orderId}-shipped`,
      type: 'ORDER_SHIPPED',
      shipped: {
        carrier: carriers[Number(order.orderId.slice(-1)) % 3]!,
        trackingCode: `TRK${order.orderId.slice(-6)}`,
      },
    };
  }
}
