import { describe, expect, it } from 'vitest';
import { replayDeadLetters } from './replay-dead-letters.js';

// Options are checked before any connection: nothing listens on these brokers.
const brokers = ['127.0.0.1:1'];

describe('replayDeadLetters options', () => {
  it('refuses a kept position together with a filter, naming group', async () => {
    await expect(
      replayDeadLetters({ brokers, topic: 'orders', group: 'orders-replay', filter: () => true }),
    ).rejects.toThrow(
      'group: cannot be combined with filter: the position would pass the dead letters the filter skipped',
    );
  });

  it.each([
    [{ brokers, topic: '' }, 'topic: must not be empty'],
    [{ brokers, topic: 'orders', group: '' }, 'group: must not be empty'],
    [{ brokers, topic: 'orders', filter: 'k1' }, 'filter: expected a function'],
  ])('refuses %j naming the field', async (options, expected) => {
    await expect(replayDeadLetters(options as never)).rejects.toThrow(expected);
  });
});
