import { z } from 'zod';
import { parseOptions, type Logger } from '@org/kafka-core';

/** The relay's defaults, in one place. */
export const relayDefaults = {
  batchSize: 500,
  pollIntervalMs: 1_000,
  rebalanceIntervalMs: 1_000,
  retryBackoffMs: 200,
  retryBackoffMaxMs: 10_000,
} as const satisfies Record<string, number>;

const relayTuningSchema = z.strictObject({
  /** Rows read and sent per turn; the next turn starts when all are acknowledged. */
  batchSize: z.number().int().min(1).max(10_000).default(relayDefaults.batchSize),
  /** How often to look for rows when no commit notification arrives (a lost LISTEN). */
  pollIntervalMs: z.number().int().min(10).max(60_000).default(relayDefaults.pollIntervalMs),
  /** How often to recount relays, rebalance shard leases and read the backlog. */
  rebalanceIntervalMs: z
    .number()
    .int()
    .min(10)
    .max(60_000)
    .default(relayDefaults.rebalanceIntervalMs),
  /** First wait after a failed turn; doubles up to retryBackoffMaxMs. */
  retryBackoffMs: z.number().int().min(1).max(60_000).default(relayDefaults.retryBackoffMs),
  retryBackoffMaxMs: z.number().int().min(1).max(600_000).default(relayDefaults.retryBackoffMaxMs),
});

export type RelayTuning = z.input<typeof relayTuningSchema>;
export type ResolvedRelayTuning = z.output<typeof relayTuningSchema> & { readonly logger: Logger };

/** Validates the relay's tuning; throws a ConfigError naming every field at fault. */
export function resolveRelayTuning(input: RelayTuning, logger: Logger): ResolvedRelayTuning {
  return { ...parseOptions(relayTuningSchema, input, 'outbox relay'), logger };
}
