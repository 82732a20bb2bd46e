import { describe, expect, it } from 'vitest';
import { KafkaSdkError } from '@org/kafka-core';
import { SerdesError } from './serdes-error.js';
import { frame, headerLength, unframe } from './wire-format.js';

function fault(fn: () => unknown): SerdesError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SerdesError);
    return err as SerdesError;
  }
  throw new Error('expected a SerdesError');
}

describe('frame', () => {
  it('writes magic byte 0, the id big-endian, then the body', () => {
    expect([...frame(0x01020304, Buffer.from([0xaa, 0xbb]))]).toEqual([0, 1, 2, 3, 4, 0xaa, 0xbb]);
    expect([...frame(0, Buffer.alloc(0))]).toEqual([0, 0, 0, 0, 0]);
    expect([...frame(2_147_483_647, Buffer.alloc(0))]).toEqual([0, 0x7f, 0xff, 0xff, 0xff]);
  });

  it.each([-1, 2_147_483_648, 1.5, Number.NaN])('refuses schema id %s', (id) => {
    expect(() => frame(id, Buffer.alloc(0))).toThrow(RangeError);
  });
});

describe('unframe', () => {
  it('round-trips every boundary id and keeps the body as a view', () => {
    for (const id of [0, 1, 255, 256, 65_536, 2_147_483_647]) {
      const body = Buffer.from('avro body');
      const { schemaId, body: out } = unframe(frame(id, body));
      expect(schemaId).toBe(id);
      expect(out.equals(body)).toBe(true);
    }
    expect(unframe(Buffer.from([0, 0, 0, 0, 7])).body.length).toBe(0);
  });

  it('names a wrong first byte, with a hint for JSON', () => {
    const json = fault(() => unframe(Buffer.from('{"id":1}')));
    expect(json.fault).toBe('unknown-magic-byte');
    expect(json.message).toBe(
      "byte 0 is 0x7b ('{': JSON?), expected the magic byte 0x00 of the Confluent wire format",
    );
    expect(json.code).toBe('DESERIALIZATION_FAILED');
    expect(json.retriable).toBe(false);
    expect(KafkaSdkError.is(json)).toBe(true);
    expect(fault(() => unframe(Buffer.from([1, 0, 0, 0, 1]))).message).toContain('byte 0 is 0x01');
    // A wrong first byte is reported even when the record is also short.
    expect(fault(() => unframe(Buffer.from([0xff]))).fault).toBe('unknown-magic-byte');
  });

  it.each([0, 1, 2, 3, 4])('names a header cut at %i bytes', (length) => {
    const e = fault(() => unframe(Buffer.alloc(length)));
    expect(e.fault).toBe('truncated-header');
    expect(e.message).toContain(`the wire-format header needs ${headerLength}`);
  });

  it('refuses a null value and a negative id', () => {
    expect(fault(() => unframe(null)).message).toContain('tombstone');
    expect(fault(() => unframe(undefined)).fault).toBe('missing-value');
    const negative = fault(() => unframe(Buffer.from([0, 0xff, 0xff, 0xff, 0xff])));
    expect(negative.fault).toBe('unknown-schema-id');
    expect(negative.message).toContain('schema id -1');
  });
});
