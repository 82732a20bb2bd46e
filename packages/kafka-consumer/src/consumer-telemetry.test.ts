import { ROOT_CONTEXT } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { ConsumerTelemetry } from './consumer-telemetry.js';
import { recordSpans, source } from './pipeline-fixture.js';
import type { ConsumedRecord } from './types.js';

/** A record read from `source` partition 2 at offset 7, with `key`. */
function recordWith(key: Buffer | null): ConsumedRecord {
  return {
    topic: source,
    partition: 2,
    offset: '7',
    timestamp: '1700000000000',
    key,
    value: Buffer.from('v'),
    headers: {},
    attempt: 1,
    receivedFrom: { topic: source, partition: 2, offset: '7', tier: 0 },
  };
}

/** A key whose decoding is seen: every toString() call is counted. */
function watchedKey(): { key: Buffer; decoded: () => number } {
  const key = Buffer.from('order-42');
  let decoded = 0;
  const toString = key.toString.bind(key);
  key.toString = (...args: Parameters<Buffer['toString']>) => {
    decoded++;
    return toString(...args);
  };
  return { key, decoded: () => decoded };
}

describe('ConsumerTelemetry process spans', () => {
  describe('with a tracer that records', () => {
    const spans = recordSpans();

    it("carry the record's offset and key, and what every process span carries", () => {
      const telemetry = new ConsumerTelemetry('group', 'client');
      const { span } = telemetry.startProcess(recordWith(Buffer.from('order-42')), ROOT_CONTEXT);
      span.end();
      const [finished] = spans.getFinishedSpans();
      expect(finished!.attributes).toMatchObject({
        'messaging.kafka.offset': 7,
        'messaging.kafka.message.key': 'order-42',
        'messaging.destination.partition.id': '2',
        'messaging.consumer.group.name': 'group',
        'messaging.kafka.attempt': 1,
      });
    });
  });

  it('decode no key for a span that does not record (no SDK registered)', () => {
    const telemetry = new ConsumerTelemetry('group', 'client');
    const { key, decoded } = watchedKey();
    const { span } = telemetry.startProcess(recordWith(key), ROOT_CONTEXT);
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(decoded()).toBe(0);
  });
});
