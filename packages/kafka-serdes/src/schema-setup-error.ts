import { KafkaSdkError } from '@org/kafka-core';

/**
 * A topic's schema cannot be used, found when binding it (at start, before any record): the
 * subject is missing, the registry refused a registration (incompatible under its rules), a
 * pinned id is unknown, or the registered schema cannot take this service's values.
 */
export class SchemaSetupError extends KafkaSdkError {
  readonly subject: string;

  constructor(subject: string, message: string, options: { cause?: unknown } = {}) {
    super('SCHEMA_SETUP_FAILED', message, {
      // A registry that is down at start may be up on the next attempt; a refusal will not change.
      retriable: KafkaSdkError.is(options.cause) ? options.cause.retriable : false,
      cause: options.cause,
    });
    this.name = 'SchemaSetupError';
    this.subject = subject;
  }
}
