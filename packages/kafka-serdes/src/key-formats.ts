import type { Format, Serde } from './serde.js';
import { SerdesError } from './serdes-error.js';

/** UTF-8 string keys (order ids, customer ids): what the Java client's StringSerializer writes. */
export function stringKey(): Format<string, string> {
  return {
    kind: 'string',
    needsRegistry: false,
    bind: (context) =>
      Promise.resolve(new StringSerde(`${context.role} of topic "${context.topic}"`)),
  };
}

/** No key: records go to partitions the partitioner picks; any key read is ignored. */
export function noKey(): Format<null | undefined, null> {
  return {
    kind: 'none',
    needsRegistry: false,
    bind: () => Promise.resolve(noKeySerde),
  };
}

class StringSerde implements Serde<string, string> {
  constructor(private readonly what: string) {}

  encode(value: string): string {
    if (typeof value !== 'string') {
      throw new SerdesError(
        'value-mismatch',
        `${this.what}: expected a string, got ${typeof value}`,
      );
    }
    return value;
  }

  prepare(): undefined {
    return undefined;
  }

  decode(bytes: Buffer | null): string {
    if (bytes === null) throw new SerdesError('missing-value', `${this.what}: no key (null)`);
    return bytes.toString('utf8');
  }
}

const noKeySerde: Serde<null | undefined, null> = {
  encode: () => null,
  prepare: () => undefined,
  decode: () => null,
};
