import { bytesToDecimal } from '@org/kafka-serdes';
import { describe, expect, it } from 'vitest';
import { OrderFlow } from './order-flow.js';

const customers = Array.from({ length: 10 }, (_, i) => `customer-${i}`);
const flow = (ordersPerSecond = 10) =>
  new OrderFlow({
    ordersPerSecond,
    customers,
    vipCustomers: new Set(['customer-3']),
    stepDelayMs: 300,
  });

describe('OrderFlow', () => {
  it('places orders at the rate, then pays and ships each one step apart', () => {
    const f = flow(10);
    const at = (ms: number) => f.due(1_000 + ms).map((e) => `${e.type} ${e.orderId}`);
    expect(at(0)).toEqual(['ORDER_PLACED order-000000']);
    expect(at(99)).toEqual([]);
    expect(at(100)).toEqual(['ORDER_PLACED order-000001']);
    expect(at(300)).toEqual([
      'ORDER_PLACED order-000002',
      'ORDER_PLACED order-000003',
      'ORDER_PAID order-000000',
    ]);
    expect(at(600)).toContain('ORDER_SHIPPED order-000000');
    expect(f.ordersPlaced).toBe(7);
  });

  it('keeps every order in the order placed, paid, shipped, with ids unique per event', () => {
    const f = flow(50);
    const events = [];
    for (let t = 0; t <= 5_000; t += 50) events.push(...f.due(t));
    events.push(...f.drain(6_000));
    expect(f.ordersOpen).toBe(0);
    const byOrder = new Map<string, string[]>();
    for (const e of events) byOrder.set(e.orderId, [...(byOrder.get(e.orderId) ?? []), e.type]);
    expect(byOrder.size).toBe(f.ordersPlaced);
    for (const types of byOrder.values()) {
      expect(types).toEqual(['ORDER_PLACED', 'ORDER_PAID', 'ORDER_SHIPPED']);
    }
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  it('marks VIP customers and fills the detail of each event type', () => {
    const f = flow(1000);
    const placed = f.due(0).concat(f.due(9));
    const vip = placed.filter((e) => e.vip);
    expect(vip.length).toBeGreaterThan(0);
    expect(vip.every((e) => e.customerId === 'customer-3')).toBe(true);
    const first = placed[0]!;
    expect(first.placed?.currency).toBe('EUR');
    expect(bytesToDecimal(first.placed!.total, 2)).toBe('19.99');
    const [paid] = f.due(400).filter((e) => e.type === 'ORDER_PAID');
    expect(paid?.paid?.paymentId).toBe(`pay-${paid!.orderId}`);
  });

  it('refuses a rate that is not positive and no customers', () => {
    expect(
      () =>
        new OrderFlow({ ordersPerSecond: 0, customers, vipCustomers: new Set(), stepDelayMs: 1 }),
    ).toThrow('ordersPerSecond must be > 0');
    expect(
      () =>
        new OrderFlow({
          ordersPerSecond: 1,
          customers: [],
          vipCustomers: new Set(),
          stepDelayMs: 1,
        }),
    ).toThrow('customers must not be empty');
  });

  it('goes on after a restart: numbers continue, open orders are paid and shipped', () => {
    const f = new OrderFlow({
      ordersPerSecond: 10,
      customers,
      vipCustomers: new Set(),
      stepDelayMs: 300,
      firstOrderNumber: 42,
    });
    f.resume(
      [
        { orderId: 'order-000040', customerId: 'customer-1', vip: false, next: 'ORDER_SHIPPED' },
        { orderId: 'order-000041', customerId: 'customer-2', vip: true, next: 'ORDER_PAID' },
      ],
      1_000,
    );
    expect(f.due(1_000).map((e) => `${e.type} ${e.orderId}`)).toEqual([
      'ORDER_PLACED order-000042',
    ]);
    expect(f.due(1_300, false).map((e) => `${e.type} ${e.orderId}`)).toEqual([
      'ORDER_SHIPPED order-000040',
      'ORDER_PAID order-000041',
      'ORDER_PAID order-000042',
    ]);
    expect(f.drain(1_400).map((e) => `${e.type} ${e.orderId}`)).toEqual([
      'ORDER_SHIPPED order-000041',
      'ORDER_SHIPPED order-000042',
    ]);
  });
});
