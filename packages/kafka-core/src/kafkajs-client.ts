// The one place where validated connection options become a kafkajs client. Secrets are
// revealed here and nowhere else; a later driver would be added beside this module.
import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import type { ResolvedConnection } from './connection-options.js';
import { kafkaJsLogLevel } from './kafkajs-log-level.js';
import type { Logger } from './logger.js';
import { fixKafkaJsRequestQueue } from './kafkajs-request-queue.js';
import { noDelaySocketFactory } from './socket-factory.js';

function saslConfig(sasl: NonNullable<ResolvedConnection['sasl']>): SASLOptions {
  switch (sasl.mechanism) {
    case 'oauthbearer':
      return { mechanism: 'oauthbearer', oauthBearerProvider: sasl.oauthBearerProvider };
    case 'plain':
    case 'scram-sha-256':
    case 'scram-sha-512':
      return {
        mechanism: sasl.mechanism,
        username: sasl.username,
        password: sasl.password.reveal(),
      };
  }
}

function sslConfig(ssl: ResolvedConnection['ssl']): KafkaConfig['ssl'] {
  if (ssl === undefined || typeof ssl === 'boolean') return ssl;
  return {
    ...ssl,
    key: ssl.key?.reveal(),
    passphrase: ssl.passphrase?.reveal(),
  };
}

/** Bridges kafkajs's log entries into the SDK logger, without its noisy stack traces. */
function logCreator(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, ...fields } = log;
      const line = `kafkajs ${namespace}: ${message}`;
      const to = kafkaJsLogLevel(namespace, level, String(message));
      if (to !== 'silent') logger[to](line, fields);
    };
}

/** A kafkajs client for validated options. */
export function createKafkaJsClient(options: ResolvedConnection, logger: Logger): Kafka {
  fixKafkaJsRequestQueue();
  return new Kafka({
    brokers: options.brokers,
    clientId: options.clientId,
    ssl: sslConfig(options.ssl),
    sasl: options.sasl ? saslConfig(options.sasl) : undefined,
    connectionTimeout: options.connectionTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    logLevel: logLevel.INFO,
    logCreator: logCreator(logger),
    socketFactory: noDelaySocketFactory,
  });
}
