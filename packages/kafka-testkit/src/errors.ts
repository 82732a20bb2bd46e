const brand = Symbol.for('@org/kafka-testkit/KafkaTestkitError');

/** Stable codes a caller can branch on. */
export type KafkaTestkitErrorCode =
  | 'TESTKIT_NO_BACKEND'
  | 'TESTKIT_BAD_OPTION'
  | 'TESTKIT_FETCH_FAILED'
  | 'TESTKIT_START_FAILED'
  | 'TESTKIT_TIMEOUT'
  | 'TESTKIT_CONSUME_FAILED'
  | 'TESTKIT_UNSUPPORTED'
  | 'TESTKIT_STOPPED';

/** The one error type the testkit throws; `code` is stable, `cause` keeps the original. */
export class KafkaTestkitError extends Error {
  readonly code: KafkaTestkitErrorCode;
  readonly [brand] = true;

  constructor(code: KafkaTestkitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaTestkitError';
    this.code = code;
  }

  /** True for a testkit error, also when two copies of this package are installed. */
  static is(err: unknown): err is KafkaTestkitError {
    return (
      typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[brand] === true
    );
  }
}
