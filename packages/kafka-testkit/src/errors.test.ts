import { describe, expect, it } from 'vitest';
import { KafkaTestkitError } from './errors.js';

describe('KafkaTestkitError.is', () => {
  it('recognises its own errors, also from another copy of the package (by brand, not class)', () => {
    const err = new KafkaTestkitError('TESTKIT_TIMEOUT', 'x', { cause: new Error('inner') });
    expect(KafkaTestkitError.is(err)).toBe(true);
    expect((err.cause as Error).message).toBe('inner');
    const foreign = Object.assign(new Error('y'), {
      [Symbol.for('@org/kafka-testkit/KafkaTestkitError')]: true,
    });
    expect(KafkaTestkitError.is(foreign)).toBe(true);
    expect(KafkaTestkitError.is(new Error('z'))).toBe(false);
    expect(KafkaTestkitError.is(null)).toBe(false);
  });
});
