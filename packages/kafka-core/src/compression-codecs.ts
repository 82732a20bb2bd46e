// Registers snappy, LZ4 and zstd with kafkajs, which ships only gzip. Producer and
// consumer both need this: a consumer must read whatever codec a producer chose.
//
// Codec choice: `snappy` and `lz4-napi` are Rust (napi-rs) bindings shipped as prebuilt
// npm binaries for every common platform: no compiler, no install script, no download
// outside the npm registry, and native speed (pure-JS LZ4 decompression is very slow).
// For zstd, the maintained native bindings either fetch their binary from GitHub at
// install time or compile from source; `@bokuweb/zstd-wasm` is the zstd C library built
// to WebAssembly, so it installs anywhere from npm alone.
import kafkajs from 'kafkajs';
import type { CompressionTypes as CompressionType } from 'kafkajs';
import * as lz4 from 'lz4-napi';
import * as snappy from 'snappy';
import * as zstd from '@bokuweb/zstd-wasm';
import { frameXerial, isXerialFramed, unframeXerial, xerialBlockSize } from './snappy-framing.js';

// kafkajs is CommonJS and Node's ESM loader cannot see `CompressionCodecs` among its named
// exports (vitest can, which hid this): take both from the default export.
const { CompressionCodecs, CompressionTypes } = kafkajs;

/** A codec name as users write it. */
export type CompressionName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export const compressionNames: readonly CompressionName[] = [
  'none',
  'gzip',
  'snappy',
  'lz4',
  'zstd',
];

/** The kafkajs CompressionTypes value of a codec name. */
export function compressionType(name: CompressionName): CompressionType {
  switch (name) {
    case 'none':
      return CompressionTypes.None;
    case 'gzip':
      return CompressionTypes.GZIP;
    case 'snappy':
      return CompressionTypes.Snappy;
    case 'lz4':
      return CompressionTypes.LZ4;
    case 'zstd':
      return CompressionTypes.ZSTD;
  }
}

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/** Snappy in the xerial framing the Java client writes; reads framed and raw. */
export const snappyCodec: Codec = {
  async compress({ buffer }) {
    // An empty input still gets one (empty) block, as snappy-java writes it.
    const blocks: Buffer[] = [];
    let offset = 0;
    do {
      blocks.push(await snappy.compress(buffer.subarray(offset, offset + xerialBlockSize)));
      offset += xerialBlockSize;
    } while (offset < buffer.length);
    return frameXerial(blocks);
  },
  async decompress(buffer) {
    if (!isXerialFramed(buffer)) return (await snappy.uncompress(buffer)) as Buffer;
    const parts = await Promise.all(
      unframeXerial(buffer).map((b) => snappy.uncompress(b) as Promise<Buffer>),
    );
    return Buffer.concat(parts);
  },
};

/** LZ4 frame format, as Kafka's KafkaLZ4BlockOutputStream writes for record batches v2. */
export const lz4Codec: Codec = {
  async compress({ buffer }) {
    return lz4.compressFrame(buffer);
  },
  async decompress(buffer) {
    return lz4.decompressFrame(buffer);
  },
};

let zstdReady: Promise<void> | undefined;
// The Java client writes zstd as a stream, without the content size in the frame header,
// so the output size is unknown; start at 1 MiB and double on "too small".
const zstdMaxOutput = 512 * 1024 * 1024;

/** zstd at level 3 (Kafka's default level). */
export const zstdCodec: Codec = {
  async compress({ buffer }) {
    await (zstdReady ??= zstd.init());
    return Buffer.from(zstd.compress(buffer, 3));
  },
  async decompress(buffer) {
    await (zstdReady ??= zstd.init());
    for (let heap = Math.max(1 << 20, buffer.length * 8); ; heap *= 2) {
      try {
        return Buffer.from(zstd.decompress(buffer, { defaultHeapSize: heap }));
      } catch (err) {
        if (heap >= zstdMaxOutput) throw err;
      }
    }
  },
};

let registered = false;

/** Makes kafkajs able to write and read snappy, LZ4 and zstd. Idempotent. */
export function registerCompressionCodecs(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.Snappy] = () => snappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = () => lz4Codec;
  CompressionCodecs[CompressionTypes.ZSTD] = () => zstdCodec;
}
