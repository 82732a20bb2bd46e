import { readFileSync } from 'node:fs';
import type { ConfigIssue } from './errors.js';
import { Secret } from './secret.js';

/**
 * The connection flags every SDK command line takes (for `node:util` parseArgs), and the
 * environment variables behind them. A password is read from the environment only: a flag
 * would show it to anyone who can list the machine's processes.
 */
export const connectionCliOptions = {
  tls: { type: 'boolean' },
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-servername': { type: 'string' },
  'sasl-mechanism': { type: 'string' },
  'sasl-username': { type: 'string' },
} as const;

export const connectionCliUsage = `Connection (flags win over the environment):
  --tls                          KAFKA_TLS=true      TLS with the system's CAs
  --tls-ca <pem file>            KAFKA_TLS_CA        trust this CA (implies TLS)
  --tls-cert <pem file>          KAFKA_TLS_CERT      client certificate (mutual TLS)
  --tls-key <pem file>           KAFKA_TLS_KEY       its private key
  --tls-servername <name>        KAFKA_TLS_SERVERNAME
  --sasl-mechanism <m>           KAFKA_SASL_MECHANISM  plain, scram-sha-256 or scram-sha-512
  --sasl-username <name>         KAFKA_SASL_USERNAME
                                 KAFKA_SASL_PASSWORD  (environment only)`;

type ConnectionFlags = {
  [
    K in keyof typeof connectionCliOptions
  ]?: (typeof connectionCliOptions)[K]['type'] extends 'boolean' ? boolean : string;
};

/** The `ssl` and `sasl` connection options the flags and environment ask for. */
export interface CliConnection {
  /** The private key is wrapped as the password is. */
  ssl?: true | { ca?: string; cert?: string; key?: Secret; servername?: string };
  sasl?: {
    mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    username: string;
    /** Wrapped at once: a command object that is logged or printed never shows it. */
    password: Secret;
  };
}

const mechanisms = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * Reads the connection flags and environment into connection options. Problems are pushed
 * to `issues`, each naming the flag (and its variable) at fault; nothing is thrown here.
 */
export function connectionFromCli(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  issues: ConfigIssue[],
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): CliConnection {
  const pick = (flag: keyof ConnectionFlags, variable: string): string | undefined => {
    const value = flags[flag] ?? env[variable];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const file = (flag: keyof ConnectionFlags, variable: string): string | undefined => {
    const path = pick(flag, variable);
    if (path === undefined) return undefined;
    try {
      return readFile(path);
    } catch (err) {
      issues.push({
        path: `--${flag} (${variable})`,
        message: `cannot read "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      });
      return undefined;
    }
  };
  const connection: CliConnection = {};
  const tlsEnv = env.KAFKA_TLS;
  if (tlsEnv !== undefined && tlsEnv !== '' && tlsEnv !== 'true' && tlsEnv !== 'false') {
    issues.push({ path: 'KAFKA_TLS', message: `expected "true" or "false", got "${tlsEnv}"` });
  }
  const tls = {
    ca: file('tls-ca', 'KAFKA_TLS_CA'),
    cert: file('tls-cert', 'KAFKA_TLS_CERT'),
    key: file('tls-key', 'KAFKA_TLS_KEY'),
    servername: pick('tls-servername', 'KAFKA_TLS_SERVERNAME'),
  };
  const detailed = Object.fromEntries(
    Object.entries({ ...tls, key: tls.key === undefined ? undefined : new Secret(tls.key) }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  if (
    (tls.cert === undefined) !== (tls.key === undefined) &&
    !issues.some((i) => i.path.startsWith('--tls-'))
  ) {
    issues.push({
      path: tls.cert === undefined ? '--tls-cert (KAFKA_TLS_CERT)' : '--tls-key (KAFKA_TLS_KEY)',
      message: 'a client certificate needs both --tls-cert and --tls-key',
    });
  }
  if (Object.keys(detailed).length > 0) connection.ssl = detailed;
  else if (flags.tls === true || tlsEnv === 'true') connection.ssl = true;

  const mechanism = pick('sasl-mechanism', 'KAFKA_SASL_MECHANISM');
  const username = pick('sasl-username', 'KAFKA_SASL_USERNAME');
  const password = env.KAFKA_SASL_PASSWORD;
  if (mechanism === undefined) {
    if (username !== undefined)
      issues.push({
        path: '--sasl-mechanism (KAFKA_SASL_MECHANISM)',
        message: `required with a SASL username; one of ${mechanisms.join(', ')}`,
      });
    return connection;
  }
  if (!(mechanisms as readonly string[]).includes(mechanism)) {
    issues.push({
      path: '--sasl-mechanism (KAFKA_SASL_MECHANISM)',
      message: `expected one of ${mechanisms.join(', ')}, got "${mechanism}"`,
    });
    return connection;
  }
  if (username === undefined)
    issues.push({
      path: '--sasl-username (KAFKA_SASL_USERNAME)',
      message: `required with --sasl-mechanism ${mechanism}`,
    });
  if (password === undefined || password === '')
    issues.push({
      path: 'KAFKA_SASL_PASSWORD',
      message: `required with --sasl-mechanism ${mechanism} (never a flag)`,
    });
  if (username !== undefined && password) {
    connection.sasl = {
      mechanism: mechanism as (typeof mechanisms)[number],
      username,
      password: new Secret(password),
    };
  }
  return connection;
}
