import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lz4Codec, snappyCodec, zstdCodec } from './compression-codecs.js';
import * as snappy from 'snappy';
import { frameXerial, isXerialFramed, unframeXerial, xerialBlockSize } from './snappy-framing.js';

const inputs: [string, Buffer][] = [
  ['empty', Buffer.alloc(0)],
  ['one byte', Buffer.from('x')],
  ['text', Buffer.from('order-42 placed by customer 7; '.repeat(500))],
  ['random, several snappy blocks', randomBytes(3 * xerialBlockSize + 17)],
  ['compressible, 2 MiB', Buffer.alloc(2 * 1024 * 1024, 'abc')],
];

describe.each([
  ['snappy', snappyCodec],
  ['lz4', lz4Codec],
  ['zstd', zstdCodec],
])('%s codec', (_name, codec) => {
  it.each(inputs)('round-trips %s', async (_label, input) => {
    const compressed = await codec.compress({ buffer: input });
    expect(Buffer.compare(await codec.decompress(compressed), input)).toBe(0);
  });

  it('actually compresses repetitive data', async () => {
    const input = Buffer.from('{"orderId":"o-1","status":"PLACED"}'.repeat(1000));
    expect((await codec.compress({ buffer: input })).length).toBeLessThan(input.length / 5);
  });
});

describe('snappy xerial framing', () => {
  it('writes the header the Java client writes, and blocks of at most 32 KiB input', async () => {
    const input = randomBytes(xerialBlockSize * 2 + 1);
    const framed = await snappyCodec.compress({ buffer: input });
    expect(isXerialFramed(framed)).toBe(true);
    expect(framed.subarray(0, 16).toString('hex')).toBe('82534e41505059000000000100000001');
    expect(unframeXerial(framed)).toHaveLength(3);
  });

  it('reads raw, unframed snappy as other clients write it', async () => {
    const input = Buffer.from('raw snappy from librdkafka');
    expect((await snappyCodec.decompress(await snappy.compress(input))).toString()).toBe(
      input.toString(),
    );
  });

  it('names the byte at fault in a truncated stream', () => {
    const framed = frameXerial([Buffer.from([1, 2, 3, 4, 5])]);
    expect(() => unframeXerial(framed.subarray(0, framed.length - 2))).toThrow(
      'snappy: block at byte 16 claims 5 bytes, 3 remain',
    );
    expect(() => unframeXerial(framed.subarray(0, 18))).toThrow(
      'snappy: truncated block length at byte 16 of 18',
    );
    expect(() => unframeXerial(Buffer.from('not framed at all!'))).toThrow(
      'missing the xerial header at byte 0',
    );
  });
});
