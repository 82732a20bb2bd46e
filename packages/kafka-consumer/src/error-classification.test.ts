import { describe, expect, it } from 'vitest';
import { KafkaSdkError } from '@org/kafka-core';
import { NonRetriableError, isRetriable } from './error-classification.js';

describe('isRetriable', () => {
  it.each([
    [new NonRetriableError('order has no customer'), false],
    [new KafkaSdkError('DESERIALIZATION_FAILED', 'unknown magic byte 0x7b at byte 0'), false],
    [new KafkaSdkError('VALIDATION_FAILED', 'amount: expected a number'), false],
    [Object.assign(new Error('invalid'), { name: 'ZodError' }), false],
    [new KafkaSdkError('SEND_FAILED', 'broker down', { retriable: true }), true],
    [new Error('ECONNRESET'), true],
    ['a thrown string', true],
  ])('%s -> %s', (err, expected) => {
    expect(isRetriable(err)).toBe(expected);
  });

  it('keeps NonRetriableError recognisable across package copies', () => {
    const err = new NonRetriableError('x', { cause: new Error('y') });
    expect(KafkaSdkError.is(err)).toBe(true);
    expect(err).toMatchObject({ code: 'NON_RETRIABLE', retriable: false });
  });
});
