/** What a relay does with its shard leases on one turn. */
export interface ShardPlan {
  /** Leases to give back first: this relay holds more than its share. */
  readonly release: readonly number[];
  /** How many more leases to try for, from `candidates` in order. */
  readonly want: number;
  /** The shards not held, in the order to try them. */
  readonly candidates: readonly number[];
}

/**
 * The lease plan of one relay among `relays` running relays: each aims for
 * ceil(shards / relays), so together they cover every shard, and one that holds more
 * (because another joined) gives back its highest-numbered extras. `start` rotates the
 * candidates so relays joining at once try different shards first.
 */
export function shardPlan(args: {
  readonly held: ReadonlySet<number>;
  readonly relays: number;
  readonly shards: number;
  readonly start: number;
}): ShardPlan {
  const relays = Math.max(1, args.relays);
  const share = Math.ceil(args.shards / relays);
  const held = [...args.held].sort((a, b) => a - b);
  const release = held.length > share ? held.slice(share) : [];
  const want = Math.max(0, share - held.length);
  const candidates: number[] = [];
  for (let i = 0; i < args.shards && want > 0; i++) {
    const shard = (args.start + i) % args.shards;
    if (!args.held.has(shard)) candidates.push(shard);
  }
  return { release, want, candidates };
}
