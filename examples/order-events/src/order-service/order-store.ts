import { enqueue, migrate, readBacklog, type OutboxRecord } from '@org/kafka-outbox';
import pg from 'pg';
import type { OrderEvent } from '../order-event.js';
import type { ResumedOrder } from './order-flow.js';

// The order service's own table, next to the outbox. Each event is one transaction: the
// order's row changes and the event is enqueued, or neither happens.

const ordersTable = `
CREATE TABLE IF NOT EXISTS orders (
  id          text        PRIMARY KEY,
  customer_id text        NOT NULL,
  vip         boolean     NOT NULL,
  status      text        NOT NULL CHECK (status IN ('ORDER_PLACED', 'ORDER_PAID', 'ORDER_SHIPPED')),
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp()
)`;

/** What a deploy pipeline runs before the service starts: the orders table and the outbox. */
export async function migrateOrderStore(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(ordersTable);
    await migrate(client);
  } finally {
    await client.end();
  }
}

/** The events an order's status stands for: placed is 1, paid 2, shipped 3. */
export const eventsUpTo: Record<OrderEvent['type'], readonly ('placed' | 'paid' | 'shipped')[]> = {
  ORDER_PLACED: ['placed'],
  ORDER_PAID: ['placed', 'paid'],
  ORDER_SHIPPED: ['placed', 'paid', 'shipped'],
};

export class OrderStore {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
    // A dropped idle connection must not crash the service; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  /** Orders placed or paid but not shipped (a restarted service carries them on). */
  async openOrders(): Promise<ResumedOrder[]> {
    const { rows } = await this.pool.query<{
      id: string;
      customer_id: string;
      vip: boolean;
      status: OrderEvent['type'];
    }>(
      `SELECT id, customer_id, vip, status FROM orders WHERE status <> 'ORDER_SHIPPED' ORDER BY id`,
    );
    return rows.map((r) => ({
      orderId: r.id,
      customerId: r.customer_id,
      vip: r.vip,
      next: r.status === 'ORDER_PLACED' ? 'ORDER_PAID' : 'ORDER_SHIPPED',
    }));
  }

  /**
   * The number after the highest order number stored. Not the count: a crash rolls back the
   * orders in flight, so numbers have gaps, and a count would hand out a stored number again.
   */
  async nextOrderNumber(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT coalesce(max(substring(id FROM '[0-9]+$')::int) + 1, 0)::int AS n FROM orders`,
    );
    return rows[0]?.n ?? 0;
  }

  /** Changes the order's row for `event` and enqueues `record` in one transaction. */
  async commit(event: OrderEvent, record: OutboxRecord): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (event.type === 'ORDER_PLACED') {
        await client.query(
          'INSERT INTO orders (id, customer_id, vip, status) VALUES ($1, $2, $3, $4)',
          [event.orderId, event.customerId, event.vip ?? false, event.type],
        );
      } else {
        const previous = event.type === 'ORDER_PAID' ? 'ORDER_PLACED' : 'ORDER_PAID';
        const { rowCount } = await client.query(
          'UPDATE orders SET status = $2, updated_at = clock_timestamp() WHERE id = $1 AND status = $3',
          [event.orderId, event.type, previous],
        );
        // The row must be at the step before: anything else is a bug this must not hide.
        if (rowCount !== 1) {
          throw new Error(`order ${event.orderId} is not at ${previous}; refusing ${event.type}`);
        }
      }
      await enqueue(client, record);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Rows committed to the outbox and not yet acknowledged by Kafka. */
  async outboxBacklog(): Promise<number> {
    return (await readBacklog(this.pool)).rows;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** Every event id the committed orders stand for (the demo's truth of what must be in Kafka). */
export async function committedEventIds(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; status: OrderEvent['type'] }>(
      'SELECT id, status FROM orders',
    );
    return rows.flatMap((r) => eventsUpTo[r.status].map((step) => `${r.id}-${step}`));
  } finally {
    await client.end();
  }
}
