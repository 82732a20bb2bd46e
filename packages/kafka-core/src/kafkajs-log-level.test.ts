import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaJsLogLevel } from './kafkajs-log-level.js';

const { logLevel } = kafkajs;

describe('kafkaJsLogLevel', () => {
  it.each([
    ['Connection', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092'],
    ['Consumer', 'Crash: KafkaJSProtocolError: The coordinator is loading'],
    ['Consumer', 'Restarting the consumer in 300ms'],
    ['SaslAuthenticator-SCRAM-SHA-512', 'SASL SCRAM SHA512 authentication failed: invalid'],
    ['BrokerPool', 'SASL PLAIN authentication failed: Invalid username or password'],
  ])('sends the ERROR of %s the SDK reports itself to debug: %s', (namespace, message) => {
    expect(kafkaJsLogLevel(namespace, logLevel.ERROR, message)).toBe('debug');
  });

  it.each([
    ['Producer', 'Failed to send messages: This server is not the leader'],
    ['Consumer', 'Error when calling eachBatch'],
    ['Cluster', 'Crash'],
  ])('keeps other ERRORs at error: %s %s', (namespace, message) => {
    expect(kafkaJsLogLevel(namespace, logLevel.ERROR, message)).toBe('error');
  });

  it('makes a failed connect attempt a warning (kafkajs retries; the caller gets the error)', () => {
    expect(
      kafkaJsLogLevel(
        'BrokerPool',
        logLevel.ERROR,
        'Failed to connect to seed broker, trying another broker from the list: Connection error: self-signed certificate',
      ),
    ).toBe('warn');
  });

  it('keeps WARN and sends INFO and DEBUG to debug', () => {
    expect(kafkaJsLogLevel('Consumer', logLevel.WARN, 'Restarting the consumer')).toBe('warn');
    expect(kafkaJsLogLevel('Consumer', logLevel.INFO, 'Consumer has joined the group')).toBe(
      'debug',
    );
    expect(kafkaJsLogLevel('Connection', logLevel.DEBUG, 'Request Metadata(key: 3)')).toBe('debug');
  });
});
