import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { javaPartitionForKey, murmur2, murmur2Key, toPositive } from './murmur2.js';

describe('murmur2', () => {
  // The cases of Kafka's own UtilsTest.testMurmur2.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('murmur2(%s) = %i, as in the Java client', (text, expected) => {
    expect(murmur2(Buffer.from(text))).toBe(expected);
    expect(murmur2Key(text)).toBe(expected);
  });

  it('hashes a string key as its UTF-8 bytes, whatever its length', () => {
    for (const key of ['', 'é', 'ключ-заказа', '注文-42', '🎉'.repeat(50), 'x'.repeat(5000)]) {
      expect(murmur2Key(key)).toBe(murmur2(Buffer.from(key, 'utf8')));
    }
  });

  it('toPositive clears the sign bit like Java (not Math.abs)', () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(2147483647);
    expect(toPositive(5)).toBe(5);
  });
});

describe('partition parity with kafkajs DefaultPartitioner (itself Java-compatible)', () => {
  const kafkajsPartitioner = Partitioners.DefaultPartitioner();
  const metadata = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      partitionId: i,
      leader: 1,
      replicas: [1],
      isr: [1],
      partitionErrorCode: 0,
    }));

  it.each([1, 2, 3, 7, 12, 100, 1000])('agrees on 20,000 keys with %i partitions', (partitions) => {
    const partitionMetadata = metadata(partitions);
    for (let i = 0; i < 10_000; i++) {
      const stringKey = `order-${i}-${(i * 2654435761) % 1000003}`;
      const bufferKey = randomBytes(1 + (i % 64));
      for (const key of [stringKey, bufferKey]) {
        const theirs = kafkajsPartitioner({
          topic: 't',
          partitionMetadata,
          message: { key, value: null },
        });
        expect(javaPartitionForKey(key, partitions)).toBe(theirs);
      }
    }
  });
});
