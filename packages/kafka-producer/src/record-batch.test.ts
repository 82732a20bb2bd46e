import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { registerCompressionCodecs } from '@org/kafka-core';
import { crc32c } from './crc32c.js';
import { compressorFor, newDecoder } from './kafkajs-protocol.js';
import { RecordBatchEncoder, type BatchRecord } from './record-batch.js';

const require = createRequire(import.meta.url);
// kafkajs's record batch decoder (what its consumer reads with) as an independent reader.
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: unknown,
) => Promise<{
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  firstTimestamp: string;
  maxTimestamp: string;
  lastOffsetDelta: number;
  records: {
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, Buffer | Buffer[]>;
    timestamp: string;
    offset: string;
  }[];
}>;

const records: BatchRecord[] = [
  {
    key: 'order-1',
    value: 'placed',
    headers: { traceparent: '00-abc-def-01' },
    timestamp: 1_700_000_000_005,
  },
  { key: null, value: Buffer.from([0, 1, 2, 255]), headers: {}, timestamp: 1_700_000_000_000 },
  {
    key: Buffer.from('k'),
    value: null,
    headers: { multi: ['a', Buffer.from('b')], none: undefined },
    timestamp: 1_700_000_000_009,
  },
  { key: 'ünïcødé', value: 'x'.repeat(300), headers: { größe: 'ß' }, timestamp: 1_700_000_000_001 },
];

const identity = { producerId: 123_456_789_012n, producerEpoch: 7, baseSequence: 2_147_483_000 };

async function decoded(codec: number) {
  registerCompressionCodecs();
  const encoder = await RecordBatchEncoder.encode(records, codec, compressorFor(codec));
  const bytes = encoder.withIdentity(identity);
  return { bytes, batch: await decodeBatch(newDecoder(bytes)) };
}

describe('RecordBatchEncoder', () => {
  it.each([
    ['none', 0],
    ['gzip', 1],
    ['snappy', 2],
    ['lz4', 3],
    ['zstd', 4],
  ])(
    '%s: kafkajs reads back every key, value, header, timestamp and the producer numbers',
    async (_name, codec) => {
      const { bytes, batch } = await decoded(codec);
      expect(batch.producerId).toBe('123456789012');
      expect(batch.producerEpoch).toBe(7);
      expect(batch.firstSequence).toBe(2_147_483_000);
      expect(batch.firstTimestamp).toBe('1700000000000');
      expect(batch.maxTimestamp).toBe('1700000000009');
      expect(batch.lastOffsetDelta).toBe(3);
      expect(bytes.readInt16BE(21) & 0x07).toBe(codec);
      expect(bytes.readUInt32BE(17)).toBe(crc32c(bytes, 21));
      expect(bytes.readInt32BE(8)).toBe(bytes.length - 12);
      const read = batch.records.map((r) => ({
        key: r.key?.toString() ?? null,
        value: r.value === null ? null : r.value.toString('hex'),
        headers: Object.fromEntries(
          Object.entries(r.headers).map(([k, v]) => [
            k,
            Array.isArray(v) ? v.map(String) : v === null ? null : String(v),
          ]),
        ),
        timestamp: Number(r.timestamp),
        offset: r.offset,
      }));
      expect(read).toEqual([
        {
          key: 'order-1',
          value: Buffer.from('placed').toString('hex'),
          headers: { traceparent: '00-abc-def-01' },
          timestamp: 1_700_000_000_005,
          offset: '0',
        },
        { key: null, value: '000102ff', headers: {}, timestamp: 1_700_000_000_000, offset: '1' },
        {
          key: 'k',
          value: null,
          headers: { multi: ['a', 'b'], none: null },
          timestamp: 1_700_000_000_009,
          offset: '2',
        },
        {
          key: 'ünïcødé',
          value: Buffer.from('x'.repeat(300)).toString('hex'),
          headers: { größe: 'ß' },
          timestamp: 1_700_000_000_001,
          offset: '3',
        },
      ]);
    },
  );

  it('writes a new identity into the header without encoding the records again', async () => {
    const encoder = await RecordBatchEncoder.encode(records, 0, undefined);
    const first = Buffer.from(encoder.withIdentity(identity));
    const second = encoder.withIdentity({ producerId: 5n, producerEpoch: 8, baseSequence: 0 });
    expect(second.subarray(61)).toEqual(first.subarray(61));
    expect(second.readBigInt64BE(43)).toBe(5n);
    expect(second.readInt16BE(51)).toBe(8);
    expect(second.readInt32BE(53)).toBe(0);
    expect(second.readUInt32BE(17)).toBe(crc32c(second, 21));
  });
});
