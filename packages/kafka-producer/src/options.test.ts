import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@org/kafka-core';
import { producerDefaults, resolveProducerOptions, type ProducerOptions } from './options.js';

const base = { brokers: ['127.0.0.1:9092'] };

function refusal(options: ProducerOptions): string {
  try {
    resolveProducerOptions(options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('producer options', () => {
  it('defaults to acks=all, idempotence, no compression, 5 ms linger, 120 s delivery timeout', () => {
    const o = resolveProducerOptions(base);
    expect(o.acks).toBe(-1);
    expect(o.idempotent).toBe(true);
    expect(o.compression).toBe(producerDefaults.compression);
    expect(o.lingerMs).toBe(5);
    expect(o.deliveryTimeoutMs).toBe(120_000);
    expect(typeof o.partitioner).toBe('function');
    expect(o.optOuts).toEqual([]);
  });

  it.each([
    [
      { acks: 1 },
      'acks: acks=1 acknowledges before the record is replicated and can lose it; set unsafe: { acks: 1 } to opt out on purpose',
    ],
    [{ acks: 0 }, 'set unsafe: { acks: 0 }'],
    [{ acks: 1, unsafe: { acks: 0 } }, 'acks: acks=1'],
    [
      { idempotent: false },
      'idempotent: idempotent=false lets retries write duplicates and reorder records; set unsafe: { idempotent: false }',
    ],
    [{ acks: 2 }, 'acks: Invalid input'],
    [{ unsafe: { acks: 2 } }, 'unsafe.acks'],
    [{ unsafe: { retries: 0 } }, 'unsafe: unknown option "retries"'],
    [
      { compression: 'brotli' },
      'compression: Invalid option: expected one of "none"|"gzip"|"snappy"|"lz4"|"zstd"',
    ],
    [{ lingerMs: -1 }, 'lingerMs: Too small'],
    [{ deliveryTimeoutMs: 10 }, 'deliveryTimeoutMs: Too small'],
    [{ maxBatchMessages: 0 }, 'maxBatchMessages: Too small'],
    [{ partitioner: 'murmur2' }, 'partitioner: expected a function'],
    [{ ack: 'all' }, 'unknown option "ack"'],
  ])('refuses %j, naming the field', (extra, message) => {
    expect(refusal({ ...base, ...extra } as ProducerOptions)).toContain(message);
  });

  it('accepts named opt-outs and reports them for the warning', () => {
    expect(resolveProducerOptions({ ...base, unsafe: { acks: 1 } })).toMatchObject({
      acks: 1,
      idempotent: false,
      optOuts: ['acks=1', 'idempotence off'],
    });
    expect(resolveProducerOptions({ ...base, acks: 0, unsafe: { acks: 0 } })).toMatchObject({
      acks: 0,
      idempotent: false,
    });
    expect(
      resolveProducerOptions({ ...base, idempotent: false, unsafe: { idempotent: false } }),
    ).toMatchObject({
      acks: -1,
      idempotent: false,
      optOuts: ['idempotence off'],
    });
  });

  it('accepts each codec', () => {
    for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
      expect(resolveProducerOptions({ ...base, compression }).compression).toBe(compression);
    }
  });

  it('keeps SASL passwords out of inspect and JSON', () => {
    const o = resolveProducerOptions({
      ...base,
      sasl: { mechanism: 'plain', username: 'u', password: 's3cr3t-pw' },
    });
    expect(JSON.stringify(o)).not.toContain('s3cr3t-pw');
    expect(inspect(o, { depth: 5 })).not.toContain('s3cr3t-pw');
  });
});
