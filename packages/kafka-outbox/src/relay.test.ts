import { KafkaSdkError, type Logger } from '@org/kafka-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxRow } from './outbox-row.js';
import { OutboxRelay } from './relay.js';
import { resolveRelayTuning } from './relay-options.js';
import { FakeOutboxDatabase } from './relay-session.fake.js';

// Generous: the work takes milliseconds; the bound only stops a hung test.
const patience = 60_000;

interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

function recordingLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, ...(fields ? { fields } : {}) });
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const fast = {
  pollIntervalMs: 10,
  rebalanceIntervalMs: 10,
  retryBackoffMs: 1,
  retryBackoffMaxMs: 5,
};

/** A Kafka stand-in: records what was acknowledged, in order; `fail` decides per send. */
class FakeKafka {
  readonly acked: OutboxRow[] = [];
  fail: (row: OutboxRow) => Error | undefined = () => undefined;
  send = (row: OutboxRow): Promise<void> => {
    const error = this.fail(row);
    if (error) return Promise.reject(error);
    this.acked.push(row);
    return Promise.resolve();
  };
}

const relays: OutboxRelay[] = [];
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

function relayOf(
  db: FakeOutboxDatabase,
  kafka: FakeKafka,
  lines: LogLine[] = [],
  random = () => 0,
) {
  const relay = new OutboxRelay(
    db.open,
    kafka.send,
    resolveRelayTuning(fast, recordingLogger(lines)),
    {},
    random,
  );
  relays.push(relay);
  return relay;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 2));
}

function orders(db: FakeOutboxDatabase, keys: number, perKey: number): OutboxRow[] {
  const rows: OutboxRow[] = [];
  for (let n = 0; n < perKey; n++) {
    for (let k = 0; k < keys; k++) {
      rows.push(
        ...db.commit({ topic: 'orders', messages: [{ key: `order-${k}`, value: `v${n}` }] }),
      );
    }
  }
  return rows;
}

function perKey(rows: readonly OutboxRow[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const r of rows) {
    const key = r.key?.toString() ?? '';
    byKey.set(key, [...(byKey.get(key) ?? []), r.id]);
  }
  return byKey;
}

describe('OutboxRelay', () => {
  it(
    'sends every committed row once, in id order per key, and deletes it after the acknowledgement',
    { timeout: patience },
    async () => {
      const db = new FakeOutboxDatabase();
      const kafka = new FakeKafka();
      const rows = orders(db, 20, 30);
      const relay = relayOf(db, kafka);
      await relay.start();
      await until(() => db.rows.length === 0);
      expect(kafka.acked.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
      expect(perKey(kafka.acked)).toEqual(perKey(rows));
      expect(db.deleted.sort()).toEqual(rows.map((r) => r.id).sort());
      expect(relay.stats).toMatchObject({ relayed: 600, failedSends: 0, shardsHeld: 32 });
    },
  );

  it(
    'deletes a row only once it is acknowledged: a failed send keeps it, and it goes again first',
    { timeout: patience },
    async () => {
      const db = new FakeOutboxDatabase();
      const kafka = new FakeKafka();
      const lines: LogLine[] = [];
      const [first, second] = db.commit({
        topic: 'orders',
        messages: [
          { key: 'a', value: '1' },
          { key: 'b', value: '1' },
        ],
      }) as [OutboxRow, OutboxRow];
      let failures = 3;
      kafka.fail = (row) =>
        row.id === first.id && failures-- > 0 ? new Error('NOT_ENOUGH_REPLICAS') : undefined;
      const relay = relayOf(db, kafka, lines);
      await relay.start();
      await until(() => db.rows.length === 0);
      expect(kafka.acked.map((r) => r.id)).toEqual([second.id, first.id]);
      expect(db.deleted).toEqual([second.id, first.id]);
      expect(relay.stats.failedSends).toBe(3);
      const warning = lines.find((l) => l.message.startsWith('outbox relay: sends failed'));
      expect(warning?.fields).toMatchObject({ firstId: first.id, error: 'NOT_ENOUGH_REPLICAS' });
    },
  );

  it(
    'says so when a later row of a key was acknowledged after an earlier one failed',
    { timeout: patience },
    async () => {
      const db = new FakeOutboxDatabase();
      const kafka = new FakeKafka();
      const lines: LogLine[] = [];
      const [v1, v2] = db.commit({
        topic: 'orders',
        messages: [
          { key: 'a', value: '1' },
          { key: 'a', value: '2' },
        ],
      }) as [OutboxRow, OutboxRow];
      let once = true;
      kafka.fail = (row) =>
        row.id === v1.id && once ? ((once = false), new Error('timeout')) : undefined;
      await relayOf(db, kafka, lines).start();
      await until(() => db.rows.length === 0);
      expect(kafka.acked.map((r) => r.id)).toEqual([v2.id, v1.id]);
      const error = lines.find((l) => l.level === 'error');
      expect(error?.fields).toMatchObject({ id: v2.id, topic: 'orders' });
    },
  );

  it(
    'keeps a row Kafka refuses for good, and keeps saying so (nothing is skipped)',
    { timeout: patience },
    async () => {
      const db = new FakeOutboxDatabase();
      const kafka = new FakeKafka();
      const lines: LogLine[] = [];
      const [poison] = db.commit({ topic: 'orders', messages: [{ key: 'a', value: 'x' }] }) as [
        OutboxRow,
      ];
      kafka.fail = () => new KafkaSdkError('SEND_FAILED', 'MESSAGE_TOO_LARGE');
      const relay = relayOf(db, kafka, lines);
      await relay.start();
      await until(() => relay.stats.failedSends >= 5);
      expect(db.rows.map((r) => r.id)).toEqual([poison.id]);
      expect(db.deleted).toEqual([]);
      expect(
        lines.filter((l) => l.message.startsWith('outbox relay: sends failed')).length,
      ).toBeGreaterThanOrEqual(5);
    },
  );

  it(
    'reopens its session after a database error, leases given back, and loses nothing',
    { timeout: patience },
    async () => {
      const db = new FakeOutboxDatabase();
      const kafka = new FakeKafka();
      const rows = orders(db, 5, 10);
      const relay = relayOf(db, kafka);
      await relay.start();
      db.failNext = new Error('Connection terminated unexpectedly');
      await until(() => db.rows.length === 0);
      expect(relay.stats.sessionFailures).toBe(1);
      expect(db.opened).toBe(2);
      expect(new Set(kafka.acked.map((r) => r.id))).toEqual(new Set(rows.map((r) => r.id)));
    },
  );

  it(
    'refuses to start on a missing schema, and stops on one found missing later',
    { timeout: patience },
    async () => {
      const db = new FakeOutboxDatabase();
      const missing = new KafkaSdkError(
        'OUTBOX_SCHEMA_MISSING',
        'kafka_outbox is at schema version 0',
      );
      db.openError = missing;
      await expect(relayOf(db, new FakeKafka()).start()).rejects.toBe(missing);

      db.openError = undefined;
      const relay = relayOf(db, new FakeKafka());
      await relay.start();
      db.openError = missing;
      db.failNext = new Error('Connection terminated unexpectedly');
      await expect(relay.done).rejects.toBe(missing);
    },
  );

  it(
    'stop() lets the sends in hand finish, deletes what was acknowledged, and gives back every shard',
    { timeout: patience },
    async () => {
      const db = new FakeOutboxDatabase();
      const rows = orders(db, 4, 1);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const sent: OutboxRow[] = [];
      const relay = new OutboxRelay(
        db.open,
        async (row) => {
          sent.push(row);
          await gate;
        },
        resolveRelayTuning(fast, recordingLogger([])),
      );
      await relay.start();
      await until(() => sent.length === rows.length);
      const stopping = relay.stop();
      release();
      await stopping;
      expect(db.rows).toEqual([]);
      for (let s = 0; s < 32; s++) expect(db.holderOf(s)).toBeUndefined();
      await expect(relay.done).resolves.toBeUndefined();
    },
  );

  it(
    'keeps reading the backlog while a turn waits on a send that does not come back',
    { timeout: patience },
    async () => {
      const db = new FakeOutboxDatabase();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const relay = new OutboxRelay(
        db.open,
        () => gate,
        resolveRelayTuning(fast, recordingLogger([])),
      );
      relays.push(relay);
      await relay.start();
      db.commit({ topic: 'orders', messages: [{ key: 'a', value: '1' }] });
      await until(() => relay.backlog?.rows === 1);
      db.commit({ topic: 'orders', messages: [{ key: 'b', value: '1' }] });
      await until(() => relay.backlog?.rows === 2);
      release();
      await until(() => relay.backlog?.rows === 0);
    },
  );

  it(
    'wakes on a commit instead of waiting out the poll interval',
    { timeout: patience },
    async () => {
      const db = new FakeOutboxDatabase();
      const kafka = new FakeKafka();
      const relay = new OutboxRelay(
        db.open,
        kafka.send,
        resolveRelayTuning({ ...fast, pollIntervalMs: 60_000 }, recordingLogger([])),
      );
      relays.push(relay);
      await relay.start();
      await until(() => relay.stats.shardsHeld === 32);
      db.commit({ topic: 'orders', messages: [{ key: 'a', value: '1' }] });
      await until(() => kafka.acked.length === 1);
    },
  );

  it(
    'splits the shards between relays; a key is only ever sent by the relay holding its shard',
    { timeout: patience },
    async () => {
      const db = new FakeOutboxDatabase();
      const kafka = new FakeKafka();
      const a = relayOf(db, kafka, [], () => 0);
      const b = relayOf(db, kafka, [], () => 0.5);
      await a.start();
      // The second relay joins once the first holds every shard: the first must give half back.
      await until(() => a.stats.shardsHeld === 32);
      await b.start();
      await until(() => a.stats.shardsHeld === 16 && b.stats.shardsHeld === 16);
      const rows = orders(db, 50, 20);
      await until(() => db.rows.length === 0);
      expect(kafka.acked.length).toBe(rows.length);
      expect(perKey(kafka.acked)).toEqual(perKey(rows));
      expect(a.stats.relayed).toBeGreaterThan(0);
      expect(b.stats.relayed).toBeGreaterThan(0);
    },
  );

  it(
    'randomized: relays join, fail and leave; every row is acknowledged, deleted only after that, and in key order',
    { timeout: patience },
    async () => {
      let seed = 42;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let trial = 0; trial < 20; trial++) {
        const db = new FakeOutboxDatabase();
        const kafka = new FakeKafka();
        const deletedIds = new Set<string>();
        const sentAfterDelete: string[] = [];
        kafka.fail = (row) => {
          if (deletedIds.has(row.id)) sentAfterDelete.push(row.id);
          return undefined;
        };
        const running: OutboxRelay[] = [];
        const committed: OutboxRow[] = [];
        for (let step = 0; step < 30; step++) {
          const roll = random();
          if (roll < 0.15 || running.length === 0) {
            const relay = relayOf(db, kafka, [], random);
            await relay.start();
            running.push(relay);
          } else if (roll < 0.25 && running.length > 1) {
            const [relay] = running.splice(Math.floor(random() * running.length), 1);
            await relay?.stop();
          } else if (roll < 0.35) {
            db.failNext = new Error('Connection reset');
          }
          committed.push(...orders(db, 1 + Math.floor(random() * 8), 1 + Math.floor(random() * 5)));
          await new Promise((r) => setTimeout(r, Math.floor(random() * 5)));
          for (const id of db.deleted) deletedIds.add(id);
        }
        await until(() => db.rows.length === 0);
        // Each row's first acknowledgement, per key, comes in commit order.
        const firsts: OutboxRow[] = [];
        const seen = new Set<string>();
        for (const r of kafka.acked) {
          if (seen.has(r.id)) continue;
          seen.add(r.id);
          firsts.push(r);
        }
        expect(firsts.length, `trial ${trial}`).toBe(committed.length);
        expect(perKey(firsts), `trial ${trial}`).toEqual(perKey(committed));
        expect(new Set(db.deleted).size).toBe(committed.length);
        expect(sentAfterDelete, `trial ${trial}`).toEqual([]);
        await Promise.all(running.map((r) => r.stop()));
      }
    },
  );
});
