import { z } from 'zod';

/**
 * Reads a service's configuration from environment variables with a zod schema. A wrong or
 * missing variable stops the service at start with every problem listed by variable name.
 */
export function readEnv<S extends z.ZodType>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  // An empty variable counts as unset, so `FOO= node main.js` falls back to the default.
  const given = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`,
  );
  throw new Error(`${service}: invalid configuration:\n${problems.join('\n')}`);
}

/** Variables every service of this example reads. */
export const commonEnv = {
  /** Comma-separated host:port list. */
  KAFKA_BROKERS: z
    .string({ error: 'required, e.g. "kafka-1:9092,kafka-2:9092"' })
    .transform((v) =>
      v
        .split(',')
        .map((b) => b.trim())
        .filter((b) => b.length > 0),
    )
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d{1,5}$/, 'each broker must be host:port')).min(1)),
  SCHEMA_REGISTRY_URL: z.url({
    error: 'required: the registry API root, e.g. http://registry:8080/apis/ccompat/v7',
  }),
  ORDERS_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,200}$/)
    .default('orders'),
  /** Append finished spans as JSON lines to this file. */
  OTEL_TRACES_FILE: z.string().optional(),
  /** 'console' prints spans to stdout. */
  OTEL_TRACES_EXPORTER: z.enum(['none', 'console']).default('none'),
  STATS_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
};

/** Writes one line of service statistics on stdout, as JSON, for log shipping (and the demo). */
export function writeStats(service: string, stats: Record<string, unknown>, final = false): void {
  process.stdout.write(
    `${JSON.stringify({ service, time: new Date().toISOString(), final, stats })}\n`,
  );
}
