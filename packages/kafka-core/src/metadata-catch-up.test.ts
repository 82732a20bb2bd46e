import { describe, expect, it } from 'vitest';
import { whileMetadataCatchesUp } from './metadata-catch-up.js';

const unknownTopic = () =>
  Object.assign(new Error('This server does not host this topic-partition'), { retriable: true });

describe('whileMetadataCatchesUp', () => {
  it('tries again after a retriable error, with backoff, and returns what works', async () => {
    const slept: number[] = [];
    let calls = 0;
    const result = await whileMetadataCatchesUp(
      () => (++calls < 4 ? Promise.reject(unknownTopic()) : Promise.resolve('subscribed')),
      { ms: 10_000, sleep: (ms) => (slept.push(ms), Promise.resolve()) },
    );
    expect(result).toBe('subscribed');
    expect(slept).toEqual([100, 200, 400]);
  });

  it('gives up after its sleep budget with the last error, and at once on a non-retriable one', async () => {
    const slept: number[] = [];
    const wait = { ms: 2_000, sleep: (ms: number) => (slept.push(ms), Promise.resolve()) };
    await expect(
      whileMetadataCatchesUp(() => Promise.reject(unknownTopic()), wait),
    ).rejects.toThrow('does not host');
    expect(slept).toEqual([100, 200, 400, 800, 1_000]);
    slept.length = 0;
    await expect(
      whileMetadataCatchesUp(() => Promise.reject(new Error('authentication failed')), wait),
    ).rejects.toThrow('authentication failed');
    expect(slept).toEqual([]);
  });
});
