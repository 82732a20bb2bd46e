import type { ResolvedConnection } from './connection-options.js';
import { KafkaSdkError } from './errors.js';

/**
 * A refused SASL login as an SDK error, or undefined for any other failure. kafkajs says only
 * "SASL SCRAM SHA512 authentication failed: ..."; the SDK adds who tried, where, and that
 * retrying will not help (kafkajs does not retry it either). The password never appears.
 */
export function authenticationFailure(
  err: unknown,
  connection: Pick<ResolvedConnection, 'brokers' | 'sasl'>,
): KafkaSdkError | undefined {
  if (!(err instanceof Error) || err.name !== 'KafkaJSSASLAuthenticationError') return undefined;
  const sasl = connection.sasl;
  const who = sasl === undefined ? '' : 'username' in sasl ? ` as "${sasl.username}"` : '';
  const mechanism = sasl?.mechanism ?? 'SASL';
  return new KafkaSdkError(
    'AUTHENTICATION_FAILED',
    `${mechanism} authentication${who} to ${connection.brokers.join(',')} was refused: ${err.message}. ` +
      'Check sasl.username and sasl.password (or the token provider); retrying will not help',
    { retriable: false, cause: err },
  );
}

/**
 * Connects a kafkajs client; a refused SASL login fails as AUTHENTICATION_FAILED. A client
 * whose connect failed is disconnected, so no socket it opened on the way keeps the process
 * alive.
 */
export async function connectClient(
  client: { connect(): Promise<void>; disconnect(): Promise<void> },
  connection: Pick<ResolvedConnection, 'brokers' | 'sasl'>,
): Promise<void> {
  try {
    await client.connect();
  } catch (err) {
    await client.disconnect().catch(() => undefined);
    throw authenticationFailure(err, connection) ?? err;
  }
}
