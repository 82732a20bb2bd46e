import { z } from 'zod';
import { commonEnv, readEnv } from '../service-env.js';

const orderServiceEnv = z.object({
  ...commonEnv,
  CLIENT_ID: z.string().default('order-service'),
  ORDERS_PER_SECOND: z.coerce.number().min(0.1).max(10_000).default(20),
  /** Comma-separated ids of the customers whose orders take the VIP partitions. */
  VIP_CUSTOMERS: z
    .string()
    .default('')
    .transform(
      (v) =>
        new Set(
          v
            .split(',')
            .map((c) => c.trim())
            .filter((c) => c.length > 0),
        ),
    ),
  /** Share of the topic's partitions reserved for VIP customers. */
  VIP_SHARE: z.coerce.number().gt(0).lt(1).default(0.8),
  CUSTOMERS: z.coerce.number().int().min(1).max(1_000_000).default(200),
  STEP_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).default(300),
  COMPRESSION: z.enum(['none', 'gzip', 'snappy', 'lz4', 'zstd']).default('lz4'),
  /**
   * PostgreSQL: orders are stored there and their events go through the transactional
   * outbox (relayed by this service). Without it, events are sent straight to Kafka.
   */
  DATABASE_URL: z.string().min(1).optional(),
  /** 'useLatest' (production): the schema is registered by the deploy pipeline. */
  SCHEMA_MODE: z.enum(['useLatest', 'autoRegister']).default('useLatest'),
});

export type OrderServiceConfig = z.output<typeof orderServiceEnv>;

/** The order service's configuration from the environment; throws naming each bad variable. */
export function orderServiceConfig(env: NodeJS.ProcessEnv = process.env): OrderServiceConfig {
  return readEnv('order-service', orderServiceEnv, env);
}
