import type { Backlog } from './backlog.js';
import { newRows, type OutboxRecord, type OutboxRow } from './outbox-row.js';
import type { RelaySession } from './relay-session.js';

/**
 * An in-memory outbox table with PostgreSQL's session advisory locks, for relay unit tests:
 * leases are exclusive, die with their session, and `failNext` makes a session's next
 * query fail as a dropped connection would.
 */
export class FakeOutboxDatabase {
  readonly rows: OutboxRow[] = [];
  private nextId = 1n;
  private nextEvent = 1;
  private readonly leases = new Map<number, FakeSession>();
  private readonly members = new Set<FakeSession>();
  readonly deleted: string[] = [];
  /** Sessions ever opened. */
  opened = 0;
  /** Fails the next query of any session with this error. */
  failNext: Error | undefined;
  /** Fails every open() with this error while set. */
  openError: Error | undefined;

  /** Commits `record` as enqueue() would; returns the rows. */
  commit(record: OutboxRecord): OutboxRow[] {
    const rows = newRows(record, null, () => `event-${this.nextEvent++}`).map((r): OutboxRow => ({
      ...r,
      id: String(this.nextId++),
      createdAt: new Date(0),
    }));
    this.rows.push(...rows);
    for (const m of this.members) m.notify();
    return rows;
  }

  open = (): Promise<RelaySession> => {
    if (this.openError) return Promise.reject(this.openError);
    this.opened++;
    const session = new FakeSession(this);
    this.members.add(session);
    return Promise.resolve(session);
  };

  holderOf(shard: number): FakeSession | undefined {
    return this.leases.get(shard);
  }

  /** @internal */
  query(): void {
    const error = this.failNext;
    if (error) {
      this.failNext = undefined;
      throw error;
    }
  }

  /** @internal */
  lease(session: FakeSession, shard: number): boolean {
    const holder = this.leases.get(shard);
    if (holder && holder !== session) return false;
    this.leases.set(shard, session);
    return true;
  }

  /** @internal */
  unlease(session: FakeSession, shard: number): void {
    if (this.leases.get(shard) === session) this.leases.delete(shard);
  }

  /** @internal */
  end(session: FakeSession): void {
    this.members.delete(session);
    for (const [shard, holder] of this.leases) if (holder === session) this.leases.delete(shard);
  }

  /** @internal */
  memberCount(): number {
    return this.members.size;
  }

  /** @internal */
  remove(ids: readonly string[]): void {
    const gone = new Set(ids);
    for (let i = this.rows.length - 1; i >= 0; i--) {
      const row = this.rows[i] as OutboxRow;
      if (gone.has(row.id)) this.rows.splice(i, 1);
    }
    this.deleted.push(...ids);
  }
}

class FakeSession implements RelaySession {
  private wake: (() => void) | undefined;
  private pending = false;
  closed = false;

  constructor(private readonly db: FakeOutboxDatabase) {}

  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  private check(): void {
    if (this.closed) throw new Error('fake session: query after close');
    this.db.query();
  }

  relayCount(): Promise<number> {
    this.check();
    return Promise.resolve(this.db.memberCount());
  }

  tryLease(shard: number): Promise<boolean> {
    this.check();
    return Promise.resolve(this.db.lease(this, shard));
  }

  release(shard: number): Promise<void> {
    this.check();
    this.db.unlease(this, shard);
    return Promise.resolve();
  }

  fetch(shards: readonly number[], limit: number): Promise<OutboxRow[]> {
    this.check();
    // A fetch only returns rows of shards this session holds, as the relay must ask.
    for (const s of shards) {
      if (this.db.holderOf(s) !== this)
        throw new Error(`fake session: fetch of shard ${s} not held`);
    }
    const wanted = new Set(shards);
    return Promise.resolve(this.db.rows.filter((r) => wanted.has(r.shard)).slice(0, limit));
  }

  remove(ids: readonly string[]): Promise<void> {
    this.check();
    this.db.remove(ids);
    return Promise.resolve();
  }

  backlog(): Promise<Backlog> {
    this.check();
    return Promise.resolve({ rows: this.db.rows.length, oldestAgeSeconds: 0 });
  }

  waitForCommit(ms: number, signal: AbortSignal): Promise<void> {
    if (this.pending || signal.aborted) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  close(): Promise<void> {
    this.closed = true;
    this.db.end(this);
    this.wake?.();
    return Promise.resolve();
  }
}
