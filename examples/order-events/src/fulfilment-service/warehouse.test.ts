import { NonRetriableError } from '@org/kafka-consumer';
import { describe, expect, it } from 'vitest';
import type { ReceivedOrderEvent } from '../order-event.js';
import { WarehouseTimeout, fulfil, warehouseTrouble } from './warehouse.js';

const event: ReceivedOrderEvent = {
  eventId: 'order-000001-placed',
  type: 'ORDER_PLACED',
  orderId: 'order-000001',
  customerId: 'customer-0001',
  vip: false,
  occurredAt: 0,
  placed: { lines: [{ sku: 'a', quantity: 1 }], total: Buffer.from([1]), currency: 'EUR' },
  paid: null,
  shipped: null,
};

describe('warehouseTrouble', () => {
  it('picks about the configured shares, the same for an event every time', () => {
    const counts = { none: 0, transient: 0, permanent: 0 };
    const failures = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      const t = warehouseTrouble(`order-${i}-paid`, { transient: 5, permanent: 1 });
      counts[t.kind]++;
      if (t.kind === 'transient') failures.add(t.failures);
    }
    expect(counts.permanent / 100_000).toBeCloseTo(0.01, 2);
    expect(counts.transient / 100_000).toBeCloseTo(0.05, 2);
    expect([...failures].sort()).toEqual([1, 2, 3]);
    expect(warehouseTrouble('e', { transient: 5, permanent: 1 })).toEqual(
      warehouseTrouble('e', { transient: 5, permanent: 1 }),
    );
    expect(warehouseTrouble('e', { transient: 0, permanent: 0 })).toEqual({ kind: 'none' });
    expect(warehouseTrouble('e', { transient: 100, permanent: 0 }).kind).toBe('transient');
  });
});

describe('fulfil', () => {
  it('fails transiently for the given attempts, then works; fails permanently for good', () => {
    const trouble = { kind: 'transient', failures: 2 } as const;
    expect(() => fulfil(event, 1, trouble)).toThrow(WarehouseTimeout);
    expect(() => fulfil(event, 2, trouble)).toThrow('warehouse API timed out (attempt 2)');
    expect(fulfil(event, 3, trouble)).toBe('reserved 1 lines');
    expect(() => fulfil(event, 9, { kind: 'permanent' })).toThrow(NonRetriableError);
    expect(
      fulfil(
        { ...event, type: 'ORDER_SHIPPED', shipped: { carrier: 'DHL', trackingCode: 'T' } },
        1,
        { kind: 'none' },
      ),
    ).toBe('handed to DHL');
  });
});
