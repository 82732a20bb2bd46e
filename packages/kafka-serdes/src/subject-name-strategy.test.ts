import { describe, expect, it } from 'vitest';
import { subjectName } from './subject-name-strategy.js';

const args = { topic: 'orders', role: 'value' as const, recordName: 'com.acme.OrderPlaced' };

describe('subjectName', () => {
  it('names subjects as Confluent does', () => {
    expect(subjectName('TopicName', args)).toBe('orders-value');
    expect(subjectName('TopicName', { ...args, role: 'key' })).toBe('orders-key');
    expect(subjectName('RecordName', args)).toBe('com.acme.OrderPlaced');
    expect(subjectName('TopicRecordName', args)).toBe('orders-com.acme.OrderPlaced');
    expect(subjectName(({ topic, role }) => `${topic}.${role}.v1`, args)).toBe('orders.value.v1');
  });

  it('refuses record strategies for a non-record schema and an empty custom subject', () => {
    expect(() => subjectName('RecordName', { ...args, recordName: undefined })).toThrow(
      'RecordName needs a record schema; the value schema of "orders" is not a record',
    );
    expect(() => subjectName(() => '', args)).toThrow('subject name strategy returned ""');
  });
});
