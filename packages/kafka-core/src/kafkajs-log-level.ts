import { logLevel } from 'kafkajs';
import type { LogLevel } from './logger.js';

/**
 * The SDK log level of a kafkajs log entry. kafkajs logs every error response of a request
 * at ERROR, also the retriable ones it then retries (a coordinator still loading, a leader
 * moving), and the same failure once per layer. Where the SDK reports the outcome itself, one
 * line per attempt or per layer would only cry wolf, so those go to debug:
 * - connection errors (the operation that needed the connection fails or is retried);
 * - a consumer crash and its restart (the SDK's consumer says whether it restarts);
 * - a refused SASL login (connect fails with AUTHENTICATION_FAILED, naming the user).
 * A failed connect attempt is a warning: kafkajs tries again, and the caller gets the error.
 * kafkajs INFO is chatty (every join, every connection) and goes to debug too.
 */
export function kafkaJsLogLevel(namespace: string, level: logLevel, message: string): LogLevel {
  const reportedElsewhere =
    namespace === 'Connection' ||
    (namespace === 'Consumer' &&
      (message.startsWith('Crash') || message.startsWith('Restarting the consumer'))) ||
    namespace.startsWith('SaslAuthenticator') ||
    (namespace === 'BrokerPool' && /^SASL .* authentication failed/.test(message));
  // One line per connect attempt while kafkajs retries (a broker down, a certificate refused):
  // worth seeing, but the error is the caller's, when the attempts run out.
  const attemptFailed = namespace === 'BrokerPool' && message.startsWith('Failed to connect');
  if (level === logLevel.ERROR)
    return reportedElsewhere ? 'debug' : attemptFailed ? 'warn' : 'error';
  if (level === logLevel.WARN) return 'warn';
  return 'debug';
}
