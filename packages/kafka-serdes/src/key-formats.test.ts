import { describe, expect, it } from 'vitest';
import { noKey, stringKey } from './key-formats.js';
import type { BindContext } from './serde.js';

const context: BindContext = {
  topic: 'orders',
  role: 'key',
  registry: undefined,
  writerSchemas: undefined,
  writerSchema: 'useLatest',
  subjectNameStrategy: 'TopicName',
};

describe('key formats', () => {
  it('stringKey writes the string and reads UTF-8', async () => {
    const serde = await stringKey().bind(context);
    expect(serde.encode('ordre-é')).toBe('ordre-é');
    expect(serde.decode(Buffer.from('ordre-é'))).toBe('ordre-é');
    expect(() => serde.encode(5 as unknown as string)).toThrow(
      'key of topic "orders": expected a string, got number',
    );
    expect(() => serde.decode(null)).toThrow('key of topic "orders": no key (null)');
  });

  it('noKey writes null and reads null whatever was there', async () => {
    const serde = await noKey().bind(context);
    expect(serde.encode(undefined)).toBeNull();
    expect(serde.decode(Buffer.from('x'))).toBeNull();
    expect(serde.prepare(Buffer.from('x'))).toBeUndefined();
  });
});
