import { describe, expect, it } from 'vitest';
import { resolveTopicDefaults } from './ensure-topics.js';

describe('resolveTopicDefaults', () => {
  it('replicates 3 times with min.insync.replicas=2 on a 3+ broker cluster', () => {
    expect(resolveTopicDefaults({ topic: 't', partitions: 6 }, 5)).toEqual({
      replicationFactor: 3,
      configs: { 'min.insync.replicas': '2' },
    });
  });

  it('replicates as many times as there are brokers on a small cluster, without min.insync.replicas', () => {
    expect(resolveTopicDefaults({ topic: 't', partitions: 1 }, 1)).toEqual({
      replicationFactor: 1,
      configs: {},
    });
    expect(resolveTopicDefaults({ topic: 't', partitions: 1 }, 2)).toEqual({
      replicationFactor: 2,
      configs: {},
    });
  });

  it('keeps explicit settings', () => {
    expect(
      resolveTopicDefaults(
        {
          topic: 't',
          partitions: 1,
          replicationFactor: 3,
          configs: { 'min.insync.replicas': '3', 'retention.ms': '1' },
        },
        3,
      ),
    ).toEqual({
      replicationFactor: 3,
      configs: { 'min.insync.replicas': '3', 'retention.ms': '1' },
    });
  });
});
