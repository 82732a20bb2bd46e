import { KafkaSdkError } from '@org/kafka-core';

/** What exactly was wrong with the bytes or the value. */
export type SerdesFault =
  | 'missing-value'
  | 'unknown-magic-byte'
  | 'truncated-header'
  | 'unknown-schema-id'
  | 'body-mismatch'
  | 'value-mismatch';

/**
 * A record that cannot be (de)serialised. Its code is DESERIALIZATION_FAILED for bytes that
 * do not decode and VALIDATION_FAILED for a value that does not match its schema, so the
 * consumer sends the record straight to the dead-letter topic: no retry can fix it.
 */
export class SerdesError extends KafkaSdkError {
  readonly fault: SerdesFault;

  constructor(fault: SerdesFault, message: string, options: { cause?: unknown } = {}) {
    super(fault === 'value-mismatch' ? 'VALIDATION_FAILED' : 'DESERIALIZATION_FAILED', message, {
      retriable: false,
      cause: options.cause,
    });
    this.name = 'SerdesError';
    this.fault = fault;
  }
}
