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

// Node's codes for a TLS handshake that failed on the certificate or the protocol, with what
// the user can do about each. None of them goes away by trying again.
const untrusted =
  "the broker's certificate is not signed by a CA this client trusts: pass the CA as ssl.ca";
const tlsAdvice: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT:
    "the broker's certificate is self-signed: pass it (or its CA) as ssl.ca",
  SELF_SIGNED_CERT_IN_CHAIN:
    "the broker's chain ends in a CA this client does not trust: pass that CA as ssl.ca",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: untrusted,
  UNABLE_TO_GET_ISSUER_CERT: untrusted,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: untrusted,
  CERT_UNTRUSTED: untrusted,
  CERT_HAS_EXPIRED: "the broker's certificate has expired",
  CERT_NOT_YET_VALID: "the broker's certificate is not valid yet (check the clocks)",
  ERR_TLS_CERT_ALTNAME_INVALID:
    "the broker's certificate does not name the address dialled: use a name it lists, or ssl.servername",
  ERR_SSL_WRONG_VERSION_NUMBER: 'the port does not speak TLS (a plaintext listener?)',
};

/** The TLS code of an error or of one of its causes (kafkajs wraps it once or twice). */
function tlsCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && Object.hasOwn(tlsAdvice, code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A TLS handshake that failed on the certificate or the protocol as an SDK error, or
 * undefined for any other failure. kafkajs reports it as a connection error (and retries
 * it); the SDK says what is wrong with the certificate and what to change.
 */
export function tlsFailure(
  err: unknown,
  connection: Pick<ResolvedConnection, 'brokers'>,
): KafkaSdkError | undefined {
  const code = tlsCode(err);
  if (code === undefined) return undefined;
  return new KafkaSdkError(
    'TLS_HANDSHAKE_FAILED',
    `TLS handshake with ${connection.brokers.join(',')} failed: ${(err as Error).message} (${code}): ${tlsAdvice[code]}; retrying will not help`,
    { retriable: false, cause: err },
  );
}

/**
 * Connects a kafkajs client; a refused SASL login fails as AUTHENTICATION_FAILED, a refused
 * certificate as TLS_HANDSHAKE_FAILED. A client whose connect failed is disconnected, so no
 * socket it opened on the way keeps the process alive.
 */
export async function connectClient(
  client: { connect(): Promise<void>; disconnect(): Promise<void> },
  connection: Pick<ResolvedConnection, 'brokers' | 'sasl'>,
): Promise<void> {
  try {
    await client.connect();
  } catch (err) {
    await client.disconnect().catch(() => undefined);
    throw authenticationFailure(err, connection) ?? tlsFailure(err, connection) ?? err;
  }
}
