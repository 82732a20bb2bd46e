import { z } from 'zod';
import type { Logger } from './logger.js';
import { Secret } from './secret.js';

// A string (wrapped here) or an already wrapped Secret, so options resolved by one SDK
// component can be handed to another without revealing them.
const secretString = z.union(
  [
    z
      .string()
      .min(1, 'must not be empty')
      .transform((value) => new Secret(value)),
    z.instanceof(Secret),
  ],
  {
    error: (issue) =>
      issue.input === '' ? 'must not be empty' : 'expected a non-empty string or a Secret',
  },
);

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s/]+):\d{1,5}$/, 'expected "host:port"')
  .refine((s) => {
    const port = Number(s.slice(s.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }, 'port must be 1 to 65535');

const tlsOptions = z.strictObject({
  ca: z.union([z.string(), z.array(z.string())]).optional(),
  cert: z.string().optional(),
  key: secretString.optional(),
  passphrase: secretString.optional(),
  servername: z.string().optional(),
  rejectUnauthorized: z.boolean().optional(),
});

const saslMechanisms = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const;

const usernamePassword = {
  username: z.string().min(1, 'must not be empty'),
  password: secretString,
};

const sasl = z.discriminatedUnion(
  'mechanism',
  [
    z.strictObject({ mechanism: z.literal('plain'), ...usernamePassword }),
    z.strictObject({ mechanism: z.literal('scram-sha-256'), ...usernamePassword }),
    z.strictObject({ mechanism: z.literal('scram-sha-512'), ...usernamePassword }),
    z.strictObject({
      mechanism: z.literal('oauthbearer'),
      oauthBearerProvider: z.custom<() => Promise<{ value: string }>>(
        (v) => typeof v === 'function',
        'expected a function returning Promise<{ value: string }>',
      ),
    }),
  ],
  { error: () => `mechanism must be one of ${saslMechanisms.map((m) => `"${m}"`).join(', ')}` },
);

const loggerShape = z.custom<Logger>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    ['debug', 'info', 'warn', 'error'].every(
      (m) => typeof (v as Record<string, unknown>)[m] === 'function',
    ),
  'expected an object with debug, info, warn and error functions',
);

/** The connection part of every client's options, validated once at construction. */
export const connectionOptionsShape = {
  brokers: z.array(hostPort).min(1, 'at least one broker is required'),
  clientId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,255}$/, 'letters, digits, ".", "_" and "-", 1 to 255 characters')
    .default('org-kafka-sdk'),
  ssl: z.union([z.boolean(), tlsOptions]).optional(),
  sasl: sasl.optional(),
  connectionTimeoutMs: z.number().int().min(100).max(300_000).default(3_000),
  requestTimeoutMs: z.number().int().min(1_000).max(600_000).default(30_000),
  logger: loggerShape.optional(),
};

export const connectionOptionsSchema = z.strictObject(connectionOptionsShape);

/** What callers write. */
export type ConnectionOptions = z.input<typeof connectionOptionsSchema>;
/** What the SDK keeps: defaults applied, credentials wrapped in `Secret`. */
export type ResolvedConnection = z.output<typeof connectionOptionsSchema>;
export type SaslMechanism = (typeof saslMechanisms)[number];

/**
 * Only the connection options of resolved options that hold more: what one SDK component
 * hands to another it creates (the consumer's retry producer), credentials still wrapped.
 */
export function connectionOf(options: ResolvedConnection): ResolvedConnection {
  return {
    brokers: options.brokers,
    clientId: options.clientId,
    ssl: options.ssl,
    sasl: options.sasl,
    connectionTimeoutMs: options.connectionTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    logger: options.logger,
  };
}
