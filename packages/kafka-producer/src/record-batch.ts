// Kafka's record batch (magic 2), written in one pass into one buffer: the produce path
// encodes every record it sends, and kafkajs's encoder builds a buffer per field and per
// record and copies each into the next. Layout per KIP-98 and Kafka's DefaultRecordBatch.
import { crc32c } from './crc32c.js';

/** One record to encode; `headers` as kafkajs takes them. */
export interface BatchRecord {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers: Readonly<
    Record<string, Buffer | string | readonly (Buffer | string)[] | undefined>
  >;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
}

/** The producer numbers in a batch header. */
export interface BatchIdentity {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
}

/** Compresses a batch's records section; the codec of the batch's attributes. */
export type RecordsCompressor = (records: Buffer) => Promise<Buffer>;

// Byte offsets in the batch header.
const headerSize = 61;
const lengthAt = 8;
const crcAt = 17;
const attributesAt = 21;
const producerIdAt = 43;

/** Zigzag, as Kafka's varints use, for integers up to 2^52 in size. */
function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function varintSize(n: number): number {
  let v = zigzag(n);
  let size = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}

function writeVarint(buffer: Buffer, offset: number, n: number): number {
  let v = zigzag(n);
  while (v >= 128) {
    buffer[offset++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  buffer[offset++] = v;
  return offset;
}

function byteLength(data: Buffer | string | null | undefined): number {
  if (data === null || data === undefined) return -1;
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}

function writeBytes(
  buffer: Buffer,
  offset: number,
  data: Buffer | string | null | undefined,
  length: number,
): number {
  offset = writeVarint(buffer, offset, length);
  if (length <= 0 || data === null || data === undefined) return offset;
  if (typeof data === 'string') buffer.write(data, offset, length, 'utf8');
  else data.copy(buffer, offset);
  return offset + length;
}

interface Sized {
  readonly bodySize: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly headers: readonly (readonly [string, number, Buffer | string | undefined, number])[];
}

/**
 * The records section of a batch, then its header: uncompressed records are written
 * straight after the header; compressed ones are written, compressed, then framed.
 */
export class RecordBatchEncoder {
  private readonly records: Buffer;
  private readonly count: number;
  private readonly firstTimestamp: number;
  private readonly maxTimestamp: number;

  private constructor(
    records: Buffer,
    count: number,
    firstTimestamp: number,
    maxTimestamp: number,
  ) {
    this.records = records;
    this.count = count;
    this.firstTimestamp = firstTimestamp;
    this.maxTimestamp = maxTimestamp;
  }

  /** Encodes the records once; `compress` (with its codec number) when not 'none'. */
  static async encode(
    records: readonly BatchRecord[],
    codec: number,
    compress: RecordsCompressor | undefined,
  ): Promise<RecordBatchEncoder> {
    let first = Infinity;
    let max = -Infinity;
    for (const r of records) {
      if (r.timestamp < first) first = r.timestamp;
      if (r.timestamp > max) max = r.timestamp;
    }
    const sized: Sized[] = [];
    let total = 0;
    records.forEach((r, i) => {
      const keySize = byteLength(r.key);
      const valueSize = byteLength(r.value);
      const headers: [string, number, Buffer | string | undefined, number][] = [];
      let headersSize = 0;
      for (const name in r.headers) {
        const given = r.headers[name];
        const values: readonly (Buffer | string | undefined)[] = Array.isArray(given)
          ? given
          : [given as Buffer | string | undefined];
        for (const v of values) {
          const nameSize = Buffer.byteLength(name);
          const size = byteLength(v);
          headers.push([name, nameSize, v, size]);
          headersSize += varintSize(nameSize) + nameSize + varintSize(size) + Math.max(0, size);
        }
      }
      const bodySize =
        1 +
        varintSize(r.timestamp - first) +
        varintSize(i) +
        varintSize(keySize) +
        Math.max(0, keySize) +
        varintSize(valueSize) +
        Math.max(0, valueSize) +
        varintSize(headers.length) +
        headersSize;
      sized.push({ bodySize, keySize, valueSize, headers });
      total += varintSize(bodySize) + bodySize;
    });
    const start = compress ? 0 : headerSize;
    const buffer = Buffer.allocUnsafe(start + total);
    let at = start;
    records.forEach((r, i) => {
      const s = sized[i]!;
      at = writeVarint(buffer, at, s.bodySize);
      buffer[at++] = 0; // record attributes: unused
      at = writeVarint(buffer, at, r.timestamp - first);
      at = writeVarint(buffer, at, i);
      at = writeBytes(buffer, at, r.key, s.keySize);
      at = writeBytes(buffer, at, r.value, s.valueSize);
      at = writeVarint(buffer, at, s.headers.length);
      for (const [name, nameSize, v, size] of s.headers) {
        at = writeBytes(buffer, at, name, nameSize);
        at = writeBytes(buffer, at, v, size);
      }
    });
    if (!compress) return new RecordBatchEncoder(buffer, records.length, first, max).withCodec(0);
    const compressed = await compress(buffer);
    const framed = Buffer.allocUnsafe(headerSize + compressed.length);
    compressed.copy(framed, headerSize);
    return new RecordBatchEncoder(framed, records.length, first, max).withCodec(codec);
  }

  private codec = 0;

  private withCodec(codec: number): this {
    this.codec = codec;
    return this;
  }

  /**
   * The whole batch with this identity in its header. The records are not encoded again;
   * only the header and its CRC are written (into the same buffer: take the next identity
   * only after the previous bytes are sent).
   */
  withIdentity(identity: BatchIdentity): Buffer {
    const b = this.records;
    b.writeBigInt64BE(0n, 0); // base offset: the broker assigns it
    b.writeInt32BE(b.length - 12, lengthAt);
    b.writeInt32BE(-1, 12); // partition leader epoch: the broker's field
    b.writeInt8(2, 16); // magic
    b.writeInt16BE(this.codec & 0x07, attributesAt); // create time, not transactional
    b.writeInt32BE(this.count - 1, 23); // last offset delta
    b.writeBigInt64BE(BigInt(this.firstTimestamp), 27);
    b.writeBigInt64BE(BigInt(this.maxTimestamp), 35);
    b.writeBigInt64BE(identity.producerId, producerIdAt);
    b.writeInt16BE(identity.producerEpoch, 51);
    b.writeInt32BE(identity.baseSequence, 53);
    b.writeInt32BE(this.count, 57);
    b.writeUInt32BE(crc32c(b, attributesAt), crcAt);
    return b;
  }
}
