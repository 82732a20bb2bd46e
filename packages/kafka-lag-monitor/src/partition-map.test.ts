import { describe, expect, it } from 'vitest';
import { PartitionMap } from './partition-map.js';

describe('PartitionMap', () => {
  it('keeps topics apart even when a joined key would collide', () => {
    const map = new PartitionMap<string>();
    // "a.1" + 2 and "a" + 12 would both join to "a12" without a separator.
    map.set('a1', 2, 'first');
    map.set('a', 12, 'second');
    expect(map.get('a1', 2)).toBe('first');
    expect(map.get('a', 12)).toBe('second');
    expect(map.get('a', 1)).toBeUndefined();
  });

  it('lists entries topic by topic and forgets a topic with no partition left', () => {
    const map = new PartitionMap<number>();
    map.set('orders', 1, 10);
    map.set('payments', 0, 20);
    map.set('orders', 0, 30);
    map.set('orders', 1, 11);
    expect([...map.entries()]).toEqual([
      ['orders', 1, 11],
      ['orders', 0, 30],
      ['payments', 0, 20],
    ]);
    map.delete('payments', 0);
    map.delete('payments', 5);
    map.delete('nowhere', 0);
    expect([...map.topicNames()]).toEqual(['orders']);
  });
});
