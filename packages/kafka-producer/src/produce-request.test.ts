import { describe, expect, it } from 'vitest';
import { newEncoder } from './kafkajs-protocol.js';
import { classifyProduceError } from './produce-errors.js';
import { decodeProduceResponse, encodeProduceRequest } from './produce-request.js';

function response(
  version: number,
  partitions: { partition: number; errorCode: number; baseOffset: bigint; message?: string }[],
): Buffer {
  const e = newEncoder().writeInt32(1).writeString('orders').writeInt32(partitions.length);
  for (const p of partitions) {
    e.writeInt32(p.partition).writeInt16(p.errorCode);
    const offset = Buffer.alloc(8);
    offset.writeBigInt64BE(p.baseOffset);
    e.writeBuffer(offset).writeBuffer(Buffer.alloc(8)); // base offset, log append time
    if (version >= 5) e.writeBuffer(Buffer.alloc(8)); // log start offset
    if (version >= 8) {
      e.writeInt32(p.message ? 1 : 0);
      if (p.message) e.writeInt32(3).writeString('bad record');
      e.writeString(p.message ?? null);
    }
  }
  e.writeInt32(0); // throttle time
  return e.buffer;
}

describe('Produce response decoding', () => {
  it.each([3, 5, 7, 8])(
    'v%i: keeps every partition answer, errors included, and offsets beyond 2^53',
    (version) => {
      const decoded = decodeProduceResponse(
        version,
        response(version, [
          { partition: 0, errorCode: 0, baseOffset: 2n ** 60n + 1n },
          { partition: 1, errorCode: 6, baseOffset: -1n },
        ]),
      );
      expect(decoded).toEqual([
        {
          topic: 'orders',
          partition: 0,
          errorCode: 0,
          baseOffset: 2n ** 60n + 1n,
          errorMessage: null,
        },
        { topic: 'orders', partition: 1, errorCode: 6, baseOffset: -1n, errorMessage: null },
      ]);
    },
  );

  it('v8: carries the broker message and the record it names', () => {
    const [answer] = decodeProduceResponse(
      8,
      response(8, [{ partition: 2, errorCode: 87, baseOffset: -1n, message: 'invalid' }]),
    );
    expect(answer!.errorMessage).toBe('invalid (record 3: bad record)');
  });

  it('refuses versions it does not speak', () => {
    expect(() => decodeProduceResponse(2, Buffer.alloc(0))).toThrow(/v2 is not supported/);
    expect(() => decodeProduceResponse(9, Buffer.alloc(0))).toThrow(/v9 is not supported/);
  });
});

describe('Produce request encoding', () => {
  it('writes no transactional id, acks, timeout and each record set under its topic', () => {
    const body = encodeProduceRequest(-1, 30_000, [
      { topic: 'a', partition: 0, records: Buffer.from([1, 2]) },
      { topic: 'b', partition: 3, records: Buffer.from([3]) },
      { topic: 'a', partition: 1, records: Buffer.from([4]) },
    ]).buffer;
    const expected = newEncoder()
      .writeString(null)
      .writeInt16(-1)
      .writeInt32(30_000)
      .writeInt32(2)
      .writeString('a')
      .writeInt32(2)
      .writeInt32(0)
      .writeInt32(2)
      .writeBuffer(Buffer.from([1, 2]))
      .writeInt32(1)
      .writeInt32(1)
      .writeBuffer(Buffer.from([4]))
      .writeString('b')
      .writeInt32(1)
      .writeInt32(3)
      .writeInt32(1)
      .writeBuffer(Buffer.from([3])).buffer;
    expect(body).toEqual(expected);
  });
});

describe('classifyProduceError', () => {
  it.each([
    [0, 'written', false],
    [46, 'written', false],
    [45, 'sequence-rejected', false],
    [59, 'sequence-rejected', false],
    [47, 'fenced', false],
    [90, 'fenced', false],
    [6, 'retry', true],
    [3, 'retry', true],
    [19, 'retry', false],
    [7, 'retry', false],
    [20, 'retry', false],
    [10, 'failed', false],
    [29, 'failed', false],
    [-1, 'failed', false],
    [9999, 'failed', false],
  ])('code %i is %s (refresh metadata: %s)', (code, kind, refresh) => {
    const c = classifyProduceError(code);
    expect(c.answer.kind).toBe(kind);
    expect(c.refreshMetadata).toBe(refresh);
  });

  it('says which retries may follow an append', () => {
    expect(classifyProduceError(6).answer).toEqual({ kind: 'retry', maybeWritten: false });
    expect(classifyProduceError(19).answer).toEqual({ kind: 'retry', maybeWritten: false });
    expect(classifyProduceError(7).answer).toEqual({ kind: 'retry', maybeWritten: true });
    expect(classifyProduceError(20).answer).toEqual({ kind: 'retry', maybeWritten: true });
    expect(classifyProduceError(6).type).toBe('NOT_LEADER_FOR_PARTITION');
  });
});
