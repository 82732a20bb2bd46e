import { inject } from 'vitest';
import { KafkaTestkitError } from './errors.js';
import type { SharedKafka } from './shared-kafka.js';

export type { SharedKafka } from './shared-kafka.js';

/** The cluster started by `@org/kafka-testkit/vitest-global-setup`, inside a test file. */
export function sharedKafka(): SharedKafka {
  const shared = inject('kafkaTestkit');
  if (!shared) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      'No shared cluster: add "@org/kafka-testkit/vitest-global-setup" to test.globalSetup in vitest.config',
    );
  }
  return shared;
}
