import { describe, expect, it } from 'vitest';
import {
  decodeRetryHeaders,
  encodeDeadLetterHeaders,
  encodeRetryHeaders,
  truncateUtf8,
  type RetryInfo,
} from './retry-headers.js';

const info: RetryInfo = {
  attempt: 4,
  dueAt: 1_700_000_010_000,
  firstFailureAt: 1_700_000_000_000,
  originalTopic: 'orders',
  originalPartition: 7,
  originalOffset: '9007199254740993',
  originalTimestamp: '1699999999999',
};

describe('retry headers', () => {
  it('round-trip through strings and Buffers, as a consumer reads them', () => {
    const asRead = Object.fromEntries(
      Object.entries(encodeRetryHeaders(info)).map(([k, v]) => [k, Buffer.from(v)]),
    );
    // The offset is above 2^53: it must survive exactly, as a string.
    expect(decodeRetryHeaders(asRead)).toEqual(info);
  });

  it('are absent on a record that was never retried', () => {
    expect(decodeRetryHeaders({ traceparent: 'x' })).toBeUndefined();
  });

  it('name the header at fault', () => {
    const headers = { ...encodeRetryHeaders(info), 'x-retry-due-at': 'tomorrow' };
    expect(() => decodeRetryHeaders(headers)).toThrow(
      'retry header "x-retry-due-at": expected an integer, got "tomorrow"',
    );
    const noTopic: Record<string, string> = { ...encodeRetryHeaders(info) };
    delete noTopic['x-original-topic'];
    expect(() => decodeRetryHeaders(noTopic)).toThrow('retry header "x-original-topic": missing');
    const hugeOffset = { ...encodeRetryHeaders(info), 'x-original-offset': '9223372036854775808' };
    expect(() => decodeRetryHeaders(hugeOffset)).toThrow(
      'retry header "x-original-offset": expected a 64-bit integer, got "9223372036854775808"',
    );
  });
});

describe('truncateUtf8', () => {
  it('leaves short text alone', () => {
    expect(truncateUtf8('short', 100)).toBe('short');
  });

  it('cuts to the byte budget, never inside a character, and marks the cut', () => {
    for (const sample of ['a'.repeat(500), 'é'.repeat(500), '注'.repeat(500), '🎉'.repeat(500)]) {
      for (const max of [20, 21, 22, 23, 100]) {
        const cut = truncateUtf8(sample, max);
        expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(max);
        expect(cut.endsWith('…[truncated]')).toBe(true);
        expect(cut).not.toContain('\uFFFD');
      }
    }
  });
});

describe('dead-letter headers', () => {
  const error = new TypeError('amount is negative: ' + 'x'.repeat(5_000));

  it('carry the origin and a bounded error', () => {
    const h = encodeDeadLetterHeaders(info, error);
    expect(h).toMatchObject({
      'x-original-topic': 'orders',
      'x-original-partition': '7',
      'x-original-offset': '9007199254740993',
      'x-exception-class': 'TypeError',
    });
    expect(Buffer.byteLength(h['x-exception-message'] as string)).toBeLessThanOrEqual(1_024);
    expect(Buffer.byteLength(h['x-exception-stacktrace'] as string)).toBeLessThanOrEqual(4_096);
  });

  it('can use Spring Kafka names and binary encodings for Java tooling', () => {
    const h = encodeDeadLetterHeaders(info, error, { format: 'spring' });
    expect(h['kafka_dlt-original-topic']).toBe('orders');
    expect((h['kafka_dlt-original-partition'] as Buffer).readInt32BE()).toBe(7);
    expect((h['kafka_dlt-original-offset'] as Buffer).readBigInt64BE()).toBe(9007199254740993n);
    expect((h['kafka_dlt-original-timestamp'] as Buffer).readBigInt64BE()).toBe(1699999999999n);
    expect(h['kafka_dlt-exception-fqcn']).toBe('TypeError');
  });

  it('accepts a thrown non-Error', () => {
    expect(encodeDeadLetterHeaders(info, 'plain string')['x-exception-message']).toBe(
      'plain string',
    );
  });
});
