import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as snappy from 'snappy';
import {
  assertCompressionAvailable,
  loadCodec,
  wasmZstdCodec,
  zlibZstdCodec,
  type Codec,
} from './compression-codecs.js';
import { frameXerial, isXerialFramed, unframeXerial, xerialBlockSize } from './snappy-framing.js';

const inputs: [string, Buffer][] = [
  ['empty', Buffer.alloc(0)],
  ['one byte', Buffer.from('x')],
  ['text', Buffer.from('order-42 placed by customer 7; '.repeat(500))],
  ['random, several snappy blocks', randomBytes(3 * xerialBlockSize + 17)],
  ['compressible, 2 MiB', Buffer.alloc(2 * 1024 * 1024, 'abc')],
];

function zlibZstd(): Codec {
  const codec = zlibZstdCodec();
  // Node 22.12 to 22.14 have no zstd in node:zlib; every Node this repo tests on has.
  if (codec === undefined) throw new Error(`node:zlib has no zstd in ${process.version}`);
  return codec;
}

const snappyCodec = await loadCodec('snappy');
const lz4Codec = await loadCodec('lz4');
const zstdViaZlib = zlibZstd();
const zstdViaWasm = await wasmZstdCodec();

describe.each([
  ['snappy', snappyCodec],
  ['lz4', lz4Codec],
  ['zstd through node:zlib', zstdViaZlib],
  ['zstd through wasm', zstdViaWasm],
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

describe('zstd: both implementations read what the other wrote', () => {
  it.each(inputs)('%s', async (_label, input) => {
    const fromZlib = await zstdViaZlib.compress({ buffer: input });
    const fromWasm = await zstdViaWasm.compress({ buffer: input });
    expect(Buffer.compare(await zstdViaWasm.decompress(fromZlib), input)).toBe(0);
    expect(Buffer.compare(await zstdViaZlib.decompress(fromWasm), input)).toBe(0);
  });
});

describe('a codec whose native binding is missing (npm install --omit=optional)', () => {
  afterEach(() => {
    vi.doUnmock('lz4-napi');
    vi.resetModules();
  });

  it('fails naming the package to install, and only when it is chosen', async () => {
    vi.resetModules();
    vi.doMock('lz4-napi', () => {
      throw new Error('Cannot find native binding. npm has a bug related to optional dependencies');
    });
    const fresh = await import('./compression-codecs.js');
    await expect(fresh.assertCompressionAvailable('none')).resolves.toBeUndefined();
    await expect(fresh.assertCompressionAvailable('gzip')).resolves.toBeUndefined();
    await expect(fresh.assertCompressionAvailable('snappy')).resolves.toBeUndefined();
    const refusal = fresh.assertCompressionAvailable('lz4');
    await expect(refusal).rejects.toMatchObject({
      code: 'COMPRESSION_CODEC_UNAVAILABLE',
      retriable: false,
    });
    const message = await refusal.catch((err: unknown) => (err as Error).message);
    expect(message).toContain(
      `compression "lz4" needs the package lz4-napi with its native binding for ${process.platform}-${process.arch}, which did not load (`,
    );
    expect(message).toContain('(npm install lz4-napi, without --omit=optional)');
  });

  it('names a missing package that has no native binding without mentioning one', async () => {
    vi.resetModules();
    vi.doMock('@bokuweb/zstd-wasm', () => {
      throw new Error("Cannot find module '@bokuweb/zstd-wasm'");
    });
    const fresh = await import('./compression-codecs.js');
    fresh.registerCompressionCodecs({ zstd: 'wasm' });
    const message = await fresh.assertCompressionAvailable('zstd').then(
      () => 'loaded',
      (err: unknown) => (err as Error).message,
    );
    vi.doUnmock('@bokuweb/zstd-wasm');
    expect(message).toMatch(
      /^compression "zstd" needs the package @bokuweb\/zstd-wasm, which did not load \(.+\)\. Install it \(npm install @bokuweb\/zstd-wasm\), or choose another compression$/,
    );
  });
});

it('every codec this machine has is available', async () => {
  for (const name of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
    await expect(assertCompressionAvailable(name)).resolves.toBeUndefined();
  }
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
