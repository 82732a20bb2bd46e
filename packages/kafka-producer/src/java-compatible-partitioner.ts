import { javaPartitionForKey } from './murmur2.js';
import type { Partitioner } from './partitioner.js';
import { RoundRobin } from './round-robin.js';

/**
 * The default partitioner: a keyed record goes to toPositive(murmur2(key)) % partitions,
 * exactly the partition the Java client picks, so services in Java and Node.js agree on
 * where a key lives. Records without a key are spread round-robin over partitions that
 * have a leader (the Java client's sticky batching has no benefit with kafkajs batches).
 */
export function javaCompatiblePartitioner(): Partitioner {
  const spread = new RoundRobin();
  // By partition count: one partitioner serves every topic of a producer.
  const ids = new Map<number, number[]>();
  return ({ partitionCount, partitions, message }) => {
    const key = message.key;
    if (key !== null && key !== undefined) return javaPartitionForKey(key, partitionCount);
    let all = ids.get(partitionCount);
    if (!all) ids.set(partitionCount, (all = Array.from({ length: partitionCount }, (_, i) => i)));
    return spread.next(all, partitions);
  };
}
