import { describe, expect, it } from 'vitest';
import { KafkaSdkError } from '@org/kafka-core';
import { NonRetriableError, classifyFailure, isRetriable } from './error-classification.js';

describe('classifyFailure', () => {
  it.each([
    [new NonRetriableError('order has no customer'), 'record'],
    [new KafkaSdkError('DESERIALIZATION_FAILED', 'unknown magic byte 0x7b at byte 0'), 'record'],
    [new KafkaSdkError('VALIDATION_FAILED', 'amount: expected a number'), 'record'],
    [Object.assign(new Error('invalid'), { name: 'ZodError' }), 'record'],
    [Object.assign(new Error('duplicate order'), { retriable: false }), 'record'],
    [new KafkaSdkError('AUTHENTICATION_FAILED', 'SASL refused user "svc"'), 'consumer'],
    [new KafkaSdkError('SCHEMA_REGISTRY_FAILED', '403 from the registry'), 'consumer'],
    [new KafkaSdkError('SEND_FAILED', 'broker down', { retriable: true }), 'transient'],
    [Object.assign(new Error('lock timeout'), { retriable: true }), 'transient'],
    [new Error('ECONNRESET'), 'transient'],
    ['a thrown string', 'transient'],
    [undefined, 'transient'],
  ])('%s -> %s', (err, expected) => {
    expect(classifyFailure(err)).toBe(expected);
    expect(isRetriable(err)).toBe(expected === 'transient');
  });

  it('keeps NonRetriableError recognisable across package copies', () => {
    const err = new NonRetriableError('x', { cause: new Error('y') });
    expect(KafkaSdkError.is(err)).toBe(true);
    expect(err).toMatchObject({ code: 'NON_RETRIABLE', retriable: false });
  });
});
