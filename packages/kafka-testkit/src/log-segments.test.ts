import { describe, expect, it } from 'vitest';
import { partitionOfSegment, parseDumpLogSegments } from './log-segments.js';

// The shape Kafka 4.1's DumpLogSegments --print-data-log prints (one batch line, then a line
// per record).
const output = `Dumping /tmp/c/broker-1/data/orders-0/00000000000000000000.log
Log starting offset: 0
baseOffset: 0 lastOffset: 1 count: 2 baseSequence: 0 lastSequence: 1 producerId: 1000 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1764531000000 size: 90 magic: 2 compresscodec: none crc: 1234 isvalid: true
| offset: 0 CreateTime: 1764531000000 keySize: 2 valueSize: 3 sequence: 0 headerKeys: [] key: k1 payload: v:1
| offset: 1 CreateTime: 1764531000000 keySize: 2 valueSize: 9 sequence: 1 headerKeys: [traceparent] key: k2 payload: with space
Dumping /tmp/c/broker-1/data/orders-3/00000000000000000000.log
Log starting offset: 0
baseOffset: 0 lastOffset: 0 count: 1 baseSequence: 2147483647 lastSequence: 2147483647 producerId: 90071992547409930 producerEpoch: 3 partitionLeaderEpoch: 2 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1764531000000 size: 70 magic: 2 compresscodec: lz4 crc: 99 isvalid: true
| offset: 0 CreateTime: 1764531000000 keySize: -1 valueSize: 1 sequence: 2147483647 headerKeys: [] payload: x
`;

describe('parseDumpLogSegments', () => {
  it('reads every batch with its producer numbers and every record value, per file', () => {
    const batches = parseDumpLogSegments(output, (path) => Number(/orders-(\d+)\//.exec(path)![1]));
    expect(batches).toEqual([
      {
        partition: 0,
        baseOffset: 0n,
        count: 2,
        producerId: 1000n,
        producerEpoch: 0,
        baseSequence: 0,
        values: ['v:1', 'with space'],
      },
      {
        partition: 3,
        baseOffset: 0n,
        count: 1,
        producerId: 90_071_992_547_409_930n,
        producerEpoch: 3,
        baseSequence: 2_147_483_647,
        values: ['x'],
      },
    ]);
  });

  it('names the field a batch line lacks', () => {
    expect(() => parseDumpLogSegments('baseOffset: 0 count: 1', () => 0)).toThrow(
      /without producerId/,
    );
  });
});

describe('partitionOfSegment', () => {
  it('reads the partition from <dir>/<topic>-<n>/<segment>.log', () => {
    expect(partitionOfSegment('/d/orders-3/00000000000000000000.log', 'orders')).toBe(3);
    expect(partitionOfSegment('/d/orders-11/00000000000000000042.log', 'orders')).toBe(11);
  });

  it('leaves out other topics, indexes and topics whose name only starts the same', () => {
    expect(partitionOfSegment('/d/orders-3/00000000000000000000.index', 'orders')).toBeUndefined();
    expect(
      partitionOfSegment('/d/orders-dlt-3/00000000000000000000.log', 'orders'),
    ).toBeUndefined();
    expect(partitionOfSegment('/d/payments-3/00000000000000000000.log', 'orders')).toBeUndefined();
    expect(partitionOfSegment('/d/orders-3.log', 'orders')).toBeUndefined();
  });
});
