import { parseRetryTopic } from '@org/kafka-core';
import kafkajs, { type PartitionAssigner } from 'kafkajs';

// The named export is missing when kafkajs (CommonJS) is imported from plain Node ESM.
const { AssignerProtocol } = kafkajs;

/** The topic a retry topic belongs to: `orders.retry.2` -> `orders`; others are their own. */
export function sourceTopicOf(topic: string): string {
  return parseRetryTopic(topic)?.source ?? topic;
}

export interface MemberSubscription {
  readonly memberId: string;
  readonly topics: readonly string[];
}

/**
 * Assigns partition p of a topic and partition p of each of its retry topics to the same
 * member. The retry hops of a record stay with the member that owns its source partition,
 * so the in-memory state of `keyOrdering: 'preserve'` (which keys wait in retry) is local.
 * Units (source topic, partition) go to the eligible member with the fewest units so far,
 * members and units in sorted order, so every member computes the same result.
 */
export function coPartitionedAssignment(
  members: readonly MemberSubscription[],
  partitionsByTopic: ReadonlyMap<string, readonly number[]>,
): Map<string, Record<string, number[]>> {
  const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
  const result = new Map<string, Record<string, number[]>>(
    sorted.map((m) => [m.memberId, Object.create(null) as Record<string, number[]>]),
  );
  const load = new Map(sorted.map((m) => [m.memberId, 0]));

  // unit key -> topics sharing it
  const units = new Map<string, { source: string; partition: number; topics: string[] }>();
  for (const [topic, partitions] of partitionsByTopic) {
    const source = sourceTopicOf(topic);
    for (const partition of partitions) {
      const key = `${source}\u0000${String(partition).padStart(10, '0')}`;
      let unit = units.get(key);
      if (!unit) units.set(key, (unit = { source, partition, topics: [] }));
      unit.topics.push(topic);
    }
  }
  for (const key of [...units.keys()].sort()) {
    const unit = units.get(key)!;
    // The member that got this unit's first topic gets its other topics too.
    let owner: MemberSubscription | undefined;
    for (const topic of unit.topics.sort()) {
      const eligible = sorted.filter((m) => m.topics.includes(topic));
      if (eligible.length === 0) continue;
      let chosen = owner && eligible.includes(owner) ? owner : undefined;
      if (!chosen) {
        chosen = eligible.reduce((best, m) =>
          load.get(m.memberId)! < load.get(best.memberId)! ? m : best,
        );
        load.set(chosen.memberId, load.get(chosen.memberId)! + 1);
        owner ??= chosen;
      }
      (result.get(chosen.memberId)![topic] ??= []).push(unit.partition);
    }
  }
  return result;
}

/** The kafkajs assigner running `coPartitionedAssignment`. Every member must use it. */
export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'OrgCoPartitionedAssigner',
  version: 1,
  assign({ members, topics }) {
    const subscriptions = members.map(({ memberId, memberMetadata }) => ({
      memberId,
      topics: AssignerProtocol.MemberMetadata.decode(memberMetadata)?.topics ?? [],
    }));
    const partitionsByTopic = new Map(
      topics.map((topic) => [
        topic,
        cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId),
      ]),
    );
    const assignment = coPartitionedAssignment(subscriptions, partitionsByTopic);
    return Promise.resolve(
      [...assignment].map(([memberId, topicPartitions]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: topicPartitions,
          userData: Buffer.alloc(0),
        }),
      })),
    );
  },
  protocol({ topics }) {
    return {
      name: 'OrgCoPartitionedAssigner',
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: 1,
        topics,
        userData: Buffer.alloc(0),
      }),
    };
  },
});
