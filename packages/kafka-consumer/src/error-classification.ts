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
 * What a handler's failure says, and so where the record goes:
 * - `record`: the record is at fault (NonRetriableError, the SDK's deserialization and
 *   validation failures, a zod error, or any other error that says `retriable: false`):
 *   retrying cannot help, it goes to the dead-letter topic.
 * - `consumer`: an SDK error that says `retriable: false` but is not about the record (a
 *   refused login, a registry that refuses this client): every record would fail the same
 *   way, so none is dead-lettered; the consumer stops with the error.
 * - `transient`: anything else (a handler's error is assumed transient unless it says
 *   otherwise): retried in place, then through the retry topics.
 */
export type FailureKind = 'record' | 'consumer' | 'transient';

export function classifyFailure(err: unknown): FailureKind {
  if (KafkaSdkError.is(err)) {
    if (recordFaultCodes.has(err.code)) return 'record';
    return err.retriable ? 'transient' : 'consumer';
  }
  if (err instanceof Error && err.name === 'ZodError') return 'record';
  const retriable = (err as { retriable?: unknown } | null)?.retriable;
  return retriable === false ? 'record' : 'transient';
}

/** Whether retrying the handler may help: the failure is transient (see classifyFailure). */
export function isRetriable(err: unknown): boolean {
  return classifyFailure(err) === 'transient';
}
