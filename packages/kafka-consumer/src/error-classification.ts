import { KafkaSdkError } from '@org/kafka-core';

/** Thrown by a handler for a record that no retry can fix; it goes straight to the dead-letter topic. */
export class NonRetriableError extends KafkaSdkError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('NON_RETRIABLE', message, { retriable: false, cause: options.cause });
    this.name = 'NonRetriableError';
  }
}

// Failures about the record itself: the same bytes will fail the same way every time.
const recordFaultCodes = new Set(['NON_RETRIABLE', 'DESERIALIZATION_FAILED', 'VALIDATION_FAILED']);

/**
 * Whether retrying the handler may help. No for NonRetriableError, the SDK's
 * deserialization and validation failures, and zod validation errors; yes otherwise (a
 * handler's error is assumed transient unless it says so).
 */
export function isRetriable(err: unknown): boolean {
  if (KafkaSdkError.is(err) && recordFaultCodes.has(err.code)) return false;
  if (err instanceof Error && err.name === 'ZodError') return false;
  return true;
}
