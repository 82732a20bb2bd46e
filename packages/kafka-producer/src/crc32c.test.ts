import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';

const require = createRequire(import.meta.url);
// kafkajs's byte-at-a-time CRC-32C, the reference this one must agree with.
const reference = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;

describe('crc32c', () => {
  it('gives the published check value of "123456789" (0xE3069283)', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('agrees with the byte-at-a-time table for every length from 0 to 100 and large inputs', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) >>> 0) & 0xff;
    for (const length of [...Array.from({ length: 101 }, (_, i) => i), 1_000, 65_537, 1_048_583]) {
      const buffer = Buffer.from(Array.from({ length }, random));
      expect(crc32c(buffer), `length ${length}`).toBe(reference(buffer));
    }
  });

  it('checksums a range without copying it', () => {
    const buffer = Buffer.from('xxhello worldyy');
    expect(crc32c(buffer, 2, 13)).toBe(reference(Buffer.from('hello world')));
  });
});
