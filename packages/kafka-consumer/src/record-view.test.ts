import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { consumedRecord, userHeaders } from './record-view.js';
import { encodeRetryHeaders } from './retry-headers.js';

const message = (headers: KafkaMessage['headers'], offset = '7'): KafkaMessage =>
  ({
    key: Buffer.from('k'),
    value: Buffer.from('v'),
    timestamp: '1000',
    attributes: 0,
    offset,
    size: 0,
    headers,
  }) as KafkaMessage;

const info = {
  attempt: 2,
  dueAt: 5,
  firstFailureAt: 4,
  originalTopic: 'orders',
  originalPartition: 1,
  originalOffset: '99',
  originalTimestamp: '900',
};

describe('consumedRecord', () => {
  it('a first delivery is attempt 1 at its own coordinates', () => {
    const { record, retry } = consumedRecord(message({ a: Buffer.from('1') }), {
      topic: 'orders',
      partition: 2,
      tier: 0,
      source: 'orders',
    });
    expect(retry).toBeUndefined();
    expect(record).toMatchObject({ topic: 'orders', partition: 2, offset: '7', attempt: 1 });
    expect(record.receivedFrom).toEqual({ topic: 'orders', partition: 2, offset: '7', tier: 0 });
  });

  it('a retried delivery shows the original coordinates and the next attempt number', () => {
    const headers = { ...encodeRetryHeaders(info), tenant: Buffer.from('acme') };
    const { record, retry } = consumedRecord(message(headers), {
      topic: 'orders.retry.1',
      partition: 1,
      tier: 1,
      source: 'orders',
    });
    expect(retry).toEqual(info);
    expect(record).toMatchObject({
      topic: 'orders',
      partition: 1,
      offset: '99',
      timestamp: '900',
      attempt: 3,
    });
    expect(record.receivedFrom).toEqual({
      topic: 'orders.retry.1',
      partition: 1,
      offset: '7',
      tier: 1,
    });
    expect(Object.keys(record.headers)).toEqual(['tenant']);
  });

  it('a record written to a retry topic by hand counts as a first attempt of the source topic', () => {
    const { record } = consumedRecord(message({}), {
      topic: 'orders.retry.2',
      partition: 0,
      tier: 2,
      source: 'orders',
    });
    expect(record).toMatchObject({ topic: 'orders', attempt: 1, offset: '7' });
  });

  it('a malformed retry header is an error naming it', () => {
    const headers = { ...encodeRetryHeaders(info), 'x-retry-due-at': 'soon' };
    expect(() =>
      consumedRecord(message(headers), { topic: 't.retry.1', partition: 0, tier: 1, source: 't' }),
    ).toThrow(/x-retry-due-at/);
  });
});

describe('userHeaders', () => {
  it('drops only the SDK headers', () => {
    expect(userHeaders({ ...encodeRetryHeaders(info), a: 'b', traceparent: 't' })).toEqual({
      a: 'b',
      traceparent: 't',
    });
    expect(userHeaders(undefined)).toEqual({});
  });
});
