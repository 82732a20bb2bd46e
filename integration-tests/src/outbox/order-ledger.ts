import { eventIdHeader, headerText } from '@org/kafka-core';
import { migrate, readBacklog } from '@org/kafka-outbox';
import { consumeN } from '@org/kafka-testkit';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';

// The truth on both sides of the outbox for the crash tests: the orders PostgreSQL
// committed, and the events Kafka holds.

/** Creates the order service's tables and the outbox in a fresh database. */
export async function prepareOrderDatabase(url: string, customers = 20): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'CREATE TABLE customers (id text PRIMARY KEY, seq integer NOT NULL DEFAULT 0)',
    );
    await client.query(
      'CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, seq integer NOT NULL)',
    );
    await client.query(
      `INSERT INTO customers (id) SELECT 'customer-' || n FROM generate_series(0, $1::int - 1) AS n`,
      [customers],
    );
    await migrate(client);
  } finally {
    await client.end();
  }
}

/** A query on a short-lived connection. */
export async function queryOnce<R extends Record<string, unknown>>(
  url: string,
  text: string,
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

export async function committedOrderCount(url: string): Promise<number> {
  const [row] = await queryOnce<{ n: number }>(url, 'SELECT count(*)::int AS n FROM orders');
  return row?.n ?? 0;
}

export async function backlogRows(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await readBacklog(client)).rows;
  } finally {
    await client.end();
  }
}

export interface OrderEvent {
  readonly order: number;
  readonly customer: string;
  readonly seq: number;
  readonly eventId: string | undefined;
  readonly partition: number;
  readonly offset: bigint;
}

/** Every record of `topic` up to its log end now. */
export async function readEvents(brokers: readonly string[], topic: string): Promise<OrderEvent[]> {
  const kafka = new Kafka({ brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let total = 0;
  try {
    for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high);
  } finally {
    await admin.disconnect();
  }
  const records = await consumeN(brokers, topic, total, { timeoutMs: 120_000 });
  const events = records.map((r) => {
    const body = JSON.parse(r.value?.toString() ?? 'null') as {
      order: number;
      customer: string;
      seq: number;
    };
    return {
      ...body,
      eventId: headerText(r.headers, eventIdHeader),
      partition: r.partition,
      offset: BigInt(r.offset),
    };
  });
  return events.sort((a, b) =>
    a.partition !== b.partition ? a.partition - b.partition : a.offset < b.offset ? -1 : 1,
  );
}

/** What the crash tests assert on, printed with each test. */
export interface LedgerReport {
  readonly committed: number;
  readonly records: number;
  /** Committed orders with no event in Kafka. */
  readonly lost: number;
  /** Events of orders the database does not hold (rolled back, or never written). */
  readonly phantom: number;
  /** Records beyond the first with the same event id (what de-duplication removes). */
  readonly duplicates: number;
  /** The most copies of one event id (1: none sent twice). */
  readonly maxCopies: number;
  /** Orders with two records that carry different event ids (de-duplication cannot help). */
  readonly undeduplicable: number;
  /** Records without the event id header. */
  readonly withoutEventId: number;
  /** Customers whose events, first copies only, are not 1, 2, 3, ... in Kafka. */
  readonly outOfOrderKeys: number;
  /** The first such customer's sequence numbers around the first one out of place. */
  readonly firstOutOfOrder?: string;
}

/** Compares the committed orders with the events read from Kafka. */
export async function ledgerReport(
  url: string,
  events: readonly OrderEvent[],
): Promise<LedgerReport> {
  const orders = await queryOnce<{ id: string; customer: string; seq: number }>(
    url,
    'SELECT id::text AS id, customer, seq FROM orders',
  );
  const committed = new Map(orders.map((o) => [Number(o.id), o]));
  const firstById = new Map<string, OrderEvent>();
  const idsByOrder = new Map<number, Set<string>>();
  let duplicates = 0;
  let withoutEventId = 0;
  const copies = new Map<string, number>();
  const firsts: OrderEvent[] = [];
  for (const e of events) {
    if (e.eventId === undefined) {
      withoutEventId++;
      continue;
    }
    copies.set(e.eventId, (copies.get(e.eventId) ?? 0) + 1);
    if (firstById.has(e.eventId)) {
      duplicates++;
      continue;
    }
    firstById.set(e.eventId, e);
    firsts.push(e);
    const ids = idsByOrder.get(e.order) ?? new Set<string>();
    ids.add(e.eventId);
    idsByOrder.set(e.order, ids);
  }
  // A customer's events share a key, so a partition: in offset order, first copies only,
  // they must be 1, 2, 3, ... (its transactions' commit order).
  const seqsByCustomer = new Map<string, number[]>();
  for (const e of firsts) {
    seqsByCustomer.set(e.customer, [...(seqsByCustomer.get(e.customer) ?? []), e.seq]);
  }
  let outOfOrderKeys = 0;
  let firstOutOfOrder: string | undefined;
  for (const [customer, seqs] of seqsByCustomer) {
    const at = seqs.findIndex((s, i) => s !== i + 1);
    if (at < 0) continue;
    outOfOrderKeys++;
    if (firstOutOfOrder === undefined) {
      const all = events.filter((e) => e.customer === customer);
      const bad = all.findIndex((e) => e.seq === seqs[at]);
      firstOutOfOrder =
        `${customer}: ...${seqs.slice(Math.max(0, at - 5), at + 10).join(',')}... (${seqs.length} events); in the log: ` +
        all
          .slice(Math.max(0, bad - 6), bad + 12)
          .map((e) => `${e.offset}:${e.seq}${firstById.get(e.eventId ?? '') === e ? '' : 'dup'}`)
          .join(' ');
    }
  }
  return {
    committed: committed.size,
    records: events.length,
    lost: [...committed.keys()].filter((id) => !idsByOrder.has(id)).length,
    phantom: [...idsByOrder.keys()].filter((id) => !committed.has(id)).length,
    duplicates,
    maxCopies: Math.max(0, ...copies.values()),
    undeduplicable: [...idsByOrder.values()].filter((ids) => ids.size > 1).length,
    withoutEventId,
    outOfOrderKeys,
    ...(firstOutOfOrder ? { firstOutOfOrder } : {}),
  };
}
