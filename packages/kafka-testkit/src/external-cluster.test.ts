import { describe, expect, it } from 'vitest';
import { parseBootstrapServers } from './external-cluster.js';

describe('parseBootstrapServers', () => {
  it('splits and trims host:port entries', () => {
    expect(parseBootstrapServers(' a:9092, b.example:19092 ,[::1]:9093')).toEqual([
      'a:9092',
      'b.example:19092',
      '[::1]:9093',
    ]);
  });

  it('names the entry at fault', () => {
    expect(() => parseBootstrapServers('a:9092,b')).toThrow(
      'KAFKA_BOOTSTRAP_SERVERS: "b" is not host:port',
    );
    expect(() => parseBootstrapServers('a:70000')).toThrow('"a:70000" is not host:port');
    expect(() => parseBootstrapServers(' , ')).toThrow('KAFKA_BOOTSTRAP_SERVERS is empty');
  });
});
