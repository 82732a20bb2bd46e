import { z } from 'zod';
import { commonEnv, readEnv } from '../service-env.js';

const fulfilmentServiceEnv = z.object({
  ...commonEnv,
  CLIENT_ID: z.string().default('fulfilment-service'),
  GROUP_ID: z.string().min(1).default('fulfilment'),
  /** Comma-separated delays of the retry topics, e.g. "1000,10000" for `.retry.1` and `.retry.2`. */
  RETRY_TOPIC_DELAYS_MS: z
    .string()
    .default('1000,5000')
    .transform((v) => v.split(',').map((d) => Number(d.trim())))
    .pipe(z.array(z.number().int().min(0)).max(20)),
  /** Attempts in place (with backoff) before a record goes to a retry topic. */
  RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(2),
  /** Append each fulfilled event to this file (the service's record of what it did). */
  LEDGER_FILE: z.string().optional(),
  /**
   * Simulated warehouse trouble, in percent of events: transient failures (a timeout; the
   * event succeeds on a later attempt) and permanent ones (a bad address; dead-lettered).
   */
  FAIL_TRANSIENT_PERCENT: z.coerce.number().min(0).max(100).default(0),
  FAIL_PERMANENT_PERCENT: z.coerce.number().min(0).max(100).default(0),
});

export type FulfilmentServiceConfig = z.output<typeof fulfilmentServiceEnv>;

/** The fulfilment service's configuration from the environment; throws naming each bad variable. */
export function fulfilmentServiceConfig(
  env: NodeJS.ProcessEnv = process.env,
): FulfilmentServiceConfig {
  return readEnv('fulfilment-service', fulfilmentServiceEnv, env);
}
