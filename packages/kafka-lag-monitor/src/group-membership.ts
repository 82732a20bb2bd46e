import kafkajs from 'kafkajs';
import { PartitionMap } from './partition-map.js';
import type { GroupMember } from './types.js';

// Named exports of kafkajs (CommonJS) are missing when imported from plain Node ESM.
const { AssignerProtocol } = kafkajs;

/** A member as kafkajs's describeGroups gives it. */
export interface DescribedMember {
  readonly memberId: string;
  readonly clientId: string;
  readonly clientHost: string;
  readonly memberAssignment: Buffer;
}

/** A group's members, and which member owns each assigned partition. */
export interface GroupMembership {
  readonly list: readonly GroupMember[];
  readonly owners: PartitionMap<GroupMember>;
}

/** The members of a described group and the partitions each one owns. */
export function groupMembership(members: readonly DescribedMember[]): GroupMembership {
  const list: GroupMember[] = [];
  const owners = new PartitionMap<GroupMember>();
  for (const m of members) {
    const assignment = Object.entries(decodeAssignment(m.memberAssignment));
    const member: GroupMember = {
      memberId: m.memberId,
      clientId: m.clientId,
      // The coordinator writes the address as Java's InetAddress.toString() does: "/10.0.0.7".
      host: m.clientHost.replace(/^\//, ''),
      partitions: assignment.reduce((n, [, partitions]) => n + partitions.length, 0),
    };
    list.push(member);
    for (const [topic, partitions] of assignment) {
      for (const p of partitions) owners.set(topic, p, member);
    }
  }
  return { list, owners };
}

/** A member's assignment by topic; empty when it is not in the consumer protocol's format. */
export function decodeAssignment(buffer: Buffer): Record<string, number[]> {
  if (buffer.length === 0) return {};
  try {
    return AssignerProtocol.MemberAssignment.decode(buffer)?.assignment ?? {};
  } catch {
    // A member of a non-consumer protocol (Connect, Streams with a custom format).
    return {};
  }
}
