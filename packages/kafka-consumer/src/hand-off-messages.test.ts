import { describe, expect, it } from 'vitest';
import { deadLetterMessage, retryMessage } from './hand-off-messages.js';
import {
  decodeRetryHeaders,
  retryHeaderNames as h,
  springDltHeaderNames as s,
} from './retry-headers.js';
import type { ConsumedRecord } from './types.js';

const record: ConsumedRecord = {
  topic: 'orders',
  partition: 4,
  offset: '9007199254740993',
  timestamp: '1700000000000',
  key: Buffer.from('order-1'),
  value: Buffer.from('{"id":1}'),
  headers: { tenant: 'acme', traceparent: 'x' },
  attempt: 3,
  receivedFrom: { topic: 'orders.retry.1', partition: 4, offset: '12', tier: 1 },
};
const limits = { maxMessageBytes: 64, maxStackBytes: 128 };

describe('retryMessage', () => {
  it('keeps key, value and own headers, adds the retry headers, and keeps the partition number', () => {
    const m = retryMessage(record, 6, 3, 1_700_000_010_000, 1_700_000_001_000);
    expect(m.key).toBe(record.key);
    expect(m.value).toBe(record.value);
    expect(m.partition).toBe(4);
    expect(m.headers.tenant).toBe('acme');
    expect(decodeRetryHeaders(m.headers)).toEqual({
      attempt: 3,
      dueAt: 1_700_000_010_000,
      firstFailureAt: 1_700_000_001_000,
      originalTopic: 'orders',
      originalPartition: 4,
      originalOffset: '9007199254740993',
      originalTimestamp: '1700000000000',
    });
  });

  it('wraps the partition number when a retry topic has fewer partitions (made by hand)', () => {
    expect(retryMessage(record, 3, 1, 0, 0).partition).toBe(1);
  });
});

describe('deadLetterMessage', () => {
  const error = new TypeError('x'.repeat(500));

  it('carries origin, bounded error headers and the attempt count', () => {
    const m = deadLetterMessage(record, 6, 4, error, { format: 'sdk', limits });
    expect(m.headers[h.originalOffset]).toBe('9007199254740993');
    expect(m.headers[h.exceptionClass]).toBe('TypeError');
    expect(Buffer.byteLength(m.headers[h.exceptionMessage] as string)).toBeLessThanOrEqual(64);
    expect(Buffer.byteLength(m.headers[h.exceptionStacktrace] as string)).toBeLessThanOrEqual(128);
    expect(m.headers[h.attempt]).toBe('4');
    expect(m.headers.tenant).toBe('acme');
    expect(m.partition).toBe(4);
  });

  it('writes Spring names in spring format', () => {
    const m = deadLetterMessage(record, 6, 4, error, { format: 'spring', limits });
    expect(m.headers[s.originalTopic]).toBe('orders');
    expect((m.headers[s.originalOffset] as Buffer).readBigInt64BE()).toBe(9007199254740993n);
    expect(m.headers[h.originalTopic]).toBeUndefined();
  });
});
