// The xerial snappy-java stream framing that Kafka's Java client writes for snappy
// batches: a 16-byte header (magic, version 1, compatible version 1), then blocks of
// [int32 big-endian compressed length][raw snappy block]. Java also reads unframed raw
// snappy, which is what other clients (kafkajs-snappy, librdkafka) may write.

/** 0x82 'SNAPPY' 0x00: the xerial magic. */
export const xerialMagic = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const headerLength = 16;
/** snappy-java's default block size, which Kafka keeps. */
export const xerialBlockSize = 32 * 1024;

/** True when `data` starts with the xerial header. */
export function isXerialFramed(data: Uint8Array): boolean {
  if (data.length < headerLength) return false;
  for (let i = 0; i < xerialMagic.length; i++) if (data[i] !== xerialMagic[i]) return false;
  return true;
}

/** Frames raw snappy blocks (each compressing at most xerialBlockSize input bytes). */
export function frameXerial(blocks: readonly Uint8Array[]): Buffer {
  const header = Buffer.alloc(headerLength);
  xerialMagic.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  const parts: Buffer[] = [header];
  for (const block of blocks) {
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length, 0);
    parts.push(length, Buffer.from(block.buffer, block.byteOffset, block.length));
  }
  return Buffer.concat(parts);
}

/**
 * The raw snappy blocks of a xerial stream. Throws naming the byte offset at fault when a
 * block length runs past the end.
 */
export function unframeXerial(data: Buffer): Buffer[] {
  if (!isXerialFramed(data)) throw new Error('snappy: missing the xerial header at byte 0');
  const blocks: Buffer[] = [];
  let offset = headerLength;
  while (offset < data.length) {
    if (offset + 4 > data.length) {
      throw new Error(`snappy: truncated block length at byte ${offset} of ${data.length}`);
    }
    const length = data.readInt32BE(offset);
    if (length < 0 || offset + 4 + length > data.length) {
      throw new Error(
        `snappy: block at byte ${offset} claims ${length} bytes, ${data.length - offset - 4} remain`,
      );
    }
    blocks.push(data.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return blocks;
}
