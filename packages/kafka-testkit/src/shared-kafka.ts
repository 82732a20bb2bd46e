import type { BackendName } from './backend-choice.js';
import type { BrokerInfo } from './cluster-types.js';

/** What a vitest global setup hands to every test file of the suite. */
export interface SharedKafka {
  readonly backend: BackendName;
  readonly bootstrapServers: string[];
  readonly brokers: readonly BrokerInfo[];
  readonly startupMs: number;
  /** Directory of the brokers' data and logs (local backend only), for Kafka's own tools. */
  readonly logDir: string | undefined;
  /** Confluent-compatible registry URL, when the setup started one. */
  readonly registryUrl: string | undefined;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaTestkit: SharedKafka;
  }
}
