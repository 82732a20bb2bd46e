import { SerdesError } from './serdes-error.js';

/** The Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then the body. */
export const magicByte = 0;
export const headerLength = 5;

/** The largest schema id the 4-byte field holds (Confluent reads it as a signed int32). */
const maxSchemaId = 0x7fffffff;

/** `body` framed with its writer schema id. */
export function frame(schemaId: number, body: Buffer): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > maxSchemaId) {
    throw new RangeError(`schema id must be an integer in 0..${maxSchemaId}, got ${schemaId}`);
  }
  const out = Buffer.allocUnsafe(headerLength + body.length);
  out[0] = magicByte;
  out.writeInt32BE(schemaId, 1);
  body.copy(out, headerLength);
  return out;
}

/**
 * The schema id and body of a framed record. Bytes that are not in the wire format are a
 * SerdesError naming the byte at fault: a missing or short header, or a first byte other
 * than 0 (often a plain JSON or string value on a topic that expects Avro).
 */
export function unframe(bytes: Buffer | null | undefined): { schemaId: number; body: Buffer } {
  if (bytes === null || bytes === undefined) {
    throw new SerdesError('missing-value', 'no bytes: a null (tombstone) record has no schema id');
  }
  if (bytes.length >= 1 && bytes[0] !== magicByte) {
    const hint = bytes[0] === 0x7b ? " ('{': JSON?)" : '';
    throw new SerdesError(
      'unknown-magic-byte',
      `byte 0 is 0x${bytes[0]!.toString(16).padStart(2, '0')}${hint}, expected the magic byte 0x00 of the Confluent wire format`,
    );
  }
  if (bytes.length < headerLength) {
    throw new SerdesError(
      'truncated-header',
      `${bytes.length} byte${bytes.length === 1 ? '' : 's'}: the wire-format header needs ${headerLength} (magic byte and 4-byte schema id)`,
    );
  }
  const schemaId = bytes.readInt32BE(1);
  if (schemaId < 0) {
    throw new SerdesError(
      'unknown-schema-id',
      `bytes 1-4 hold schema id ${schemaId}: ids are never negative`,
    );
  }
  return { schemaId, body: bytes.subarray(headerLength) };
}
