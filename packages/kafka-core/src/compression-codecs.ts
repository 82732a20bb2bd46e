// Registers snappy, LZ4 and zstd with kafkajs, which ships only gzip. Producer and
// consumer both need this: a consumer must read whatever codec a producer chose.
//
// Codec choice: `snappy` and `lz4-napi` are Rust (napi-rs) bindings shipped as prebuilt
// npm binaries for every common platform: no compiler, no install script, no download
// outside the npm registry, and native speed (pure-JS LZ4 decompression is very slow).
// zstd is `node:zlib`'s where the running Node has it (22.15 and later); otherwise
// `@bokuweb/zstd-wasm`, the zstd C library built to WebAssembly, which installs anywhere from
// npm alone.
//
// Each codec's package is loaded the first time it is needed, not when this module loads:
// the native bindings are optional dependencies of their packages, and a service installed
// with --omit=optional that never meets snappy or LZ4 must still start. A codec that cannot
// load fails with COMPRESSION_CODEC_UNAVAILABLE naming the package to install: at the
// producer's connect() for the codec it writes, at the first batch for a codec a consumer reads.
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import kafkajs from 'kafkajs';
import type { CompressionTypes as CompressionType } from 'kafkajs';
import type * as Lz4 from 'lz4-napi';
import type * as Snappy from 'snappy';
import { KafkaSdkError } from './errors.js';
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

/** A codec as kafkajs calls it. */
export interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/** A codec whose package loads on first use: the name, the package, and how to load it. */
interface LazyCodec {
  readonly name: 'snappy' | 'lz4' | 'zstd';
  readonly packageName: string;
  /** A napi-rs binding, an optional dependency of its package that --omit=optional leaves out. */
  readonly native: boolean;
  load(): Promise<Codec>;
}

/** Snappy in the xerial framing the Java client writes; reads framed and raw. */
export function snappyCodecOf(snappy: typeof Snappy): Codec {
  return {
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
}

/** LZ4 frame format, as Kafka's KafkaLZ4BlockOutputStream writes for record batches v2. */
export function lz4CodecOf(lz4: typeof Lz4): Codec {
  return {
    compress: ({ buffer }) => lz4.compressFrame(buffer),
    decompress: (buffer) => lz4.decompressFrame(buffer),
  };
}

/** Kafka's default zstd level. */
const zstdLevel = 3;

/** zstd through node:zlib, or undefined when the running Node has none (before 22.15). */
export function zlibZstdCodec(): Codec | undefined {
  if (typeof zlib.zstdCompress !== 'function' || typeof zlib.zstdDecompress !== 'function') {
    return undefined;
  }
  const compress = promisify(zlib.zstdCompress);
  const decompress = promisify(zlib.zstdDecompress);
  const params = { [zlib.constants.ZSTD_c_compressionLevel]: zstdLevel };
  return {
    compress: ({ buffer }) => compress(buffer, { params }),
    decompress: (buffer) => decompress(buffer),
  };
}

// The Java client writes zstd as a stream, without the content size in the frame header,
// so the output size is unknown to the wasm codec; start at 1 MiB and double on "too small".
const zstdMaxOutput = 512 * 1024 * 1024;

/** zstd through the WebAssembly build of the zstd library. */
export async function wasmZstdCodec(): Promise<Codec> {
  const zstd = await import('@bokuweb/zstd-wasm');
  await zstd.init();
  const decompress = (buffer: Buffer): Buffer => {
    for (let heap = Math.max(1 << 20, buffer.length * 8); ; heap *= 2) {
      try {
        return Buffer.from(zstd.decompress(buffer, { defaultHeapSize: heap }));
      } catch (err) {
        if (heap >= zstdMaxOutput) throw err;
      }
    }
  };
  // Promise.then, so a throw of the synchronous library becomes a rejection.
  return {
    compress: ({ buffer }) =>
      Promise.resolve(buffer).then((b) => Buffer.from(zstd.compress(b, zstdLevel))),
    decompress: (buffer) => Promise.resolve(buffer).then(decompress),
  };
}

/** Which zstd implementation to use: node:zlib's where Node has it (`auto`), or one by name. */
export type ZstdImplementation = 'auto' | 'zlib' | 'wasm';

function zstdCodecLoader(implementation: ZstdImplementation): LazyCodec {
  const viaZlib = implementation === 'wasm' ? undefined : zlibZstdCodec();
  if (implementation === 'zlib' && viaZlib === undefined) {
    throw new KafkaSdkError(
      'COMPRESSION_CODEC_UNAVAILABLE',
      `zstd: node:zlib has no zstd in Node ${process.versions.node} (it has from 22.15); use 'auto' or 'wasm'`,
    );
  }
  return {
    name: 'zstd',
    packageName: viaZlib ? 'node:zlib' : '@bokuweb/zstd-wasm',
    native: false,
    load: viaZlib ? () => Promise.resolve(viaZlib) : wasmZstdCodec,
  };
}

const codecLoaders: Record<LazyCodec['name'], LazyCodec> = {
  snappy: {
    name: 'snappy',
    packageName: 'snappy',
    native: true,
    load: async () => snappyCodecOf(await import('snappy')),
  },
  lz4: {
    name: 'lz4',
    packageName: 'lz4-napi',
    native: true,
    load: async () => lz4CodecOf(await import('lz4-napi')),
  },
  zstd: zstdCodecLoader('auto'),
};

const loaded = new Map<LazyCodec['name'], Promise<Codec>>();

function unavailable(codec: LazyCodec, cause: unknown): KafkaSdkError {
  const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  return new KafkaSdkError(
    'COMPRESSION_CODEC_UNAVAILABLE',
    codec.native
      ? `compression "${codec.name}" needs the package ${codec.packageName} with its native binding for ` +
          `${process.platform}-${process.arch}, which did not load (${reason}). Install it with its ` +
          `optional dependencies (npm install ${codec.packageName}, without --omit=optional), or choose another compression`
      : `compression "${codec.name}" needs the package ${codec.packageName}, which did not load ` +
          `(${reason}). Install it (npm install ${codec.packageName}), or choose another compression`,
    { cause },
  );
}

/** The codec of `name`, loading its package the first time; rejects naming what to install. */
export function loadCodec(name: LazyCodec['name']): Promise<Codec> {
  let codec = loaded.get(name);
  if (codec === undefined) {
    const loader = codecLoaders[name];
    codec = loader.load().catch((err: unknown) => {
      throw unavailable(loader, err);
    });
    loaded.set(name, codec);
  }
  return codec;
}

/**
 * Resolves when the codec of `name` can compress and decompress here; gzip and none always can.
 * The producer calls it at connect() for the codec it writes.
 */
export async function assertCompressionAvailable(name: CompressionName): Promise<void> {
  if (name === 'none' || name === 'gzip') return;
  await loadCodec(name);
}

/** A kafkajs codec that loads its package on first use. */
function lazyCodec(name: LazyCodec['name']): Codec {
  return {
    compress: async (encoder) => (await loadCodec(name)).compress(encoder),
    decompress: async (buffer) => (await loadCodec(name)).decompress(buffer),
  };
}

let registered = false;

/**
 * Makes kafkajs able to write and read snappy, LZ4 and zstd; loads no codec package until a
 * batch needs it. Idempotent; `zstd` picks the implementation (tests use it to read the same
 * Java-written batches through both).
 */
export function registerCompressionCodecs(options: { zstd?: ZstdImplementation } = {}): void {
  if (options.zstd !== undefined) {
    codecLoaders.zstd = zstdCodecLoader(options.zstd);
    loaded.delete('zstd');
  }
  if (registered) return;
  registered = true;
  const snappy = lazyCodec('snappy');
  const lz4 = lazyCodec('lz4');
  const zstd = lazyCodec('zstd');
  CompressionCodecs[CompressionTypes.Snappy] = () => snappy;
  CompressionCodecs[CompressionTypes.LZ4] = () => lz4;
  CompressionCodecs[CompressionTypes.ZSTD] = () => zstd;
}
