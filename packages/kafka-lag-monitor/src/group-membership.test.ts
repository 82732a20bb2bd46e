import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { decodeAssignment, groupMembership } from './group-membership.js';

const { AssignerProtocol } = kafkajs;

const assignment = (topics: Record<string, number[]>) =>
  AssignerProtocol.MemberAssignment.encode({
    version: 0,
    assignment: topics,
    userData: Buffer.alloc(0),
  });

describe('groupMembership', () => {
  it('lists members with their partition counts and maps each partition to its owner', () => {
    const { list, owners } = groupMembership([
      {
        memberId: 'svc-1-aaa',
        clientId: 'svc-1',
        clientHost: '/10.0.0.7',
        memberAssignment: assignment({ orders: [0, 2], 'orders.retry.1': [0] }),
      },
      {
        memberId: 'svc-2-bbb',
        clientId: 'svc-2',
        clientHost: '10.0.0.8',
        memberAssignment: assignment({ orders: [1] }),
      },
    ]);
    expect(list).toEqual([
      { memberId: 'svc-1-aaa', clientId: 'svc-1', host: '10.0.0.7', partitions: 3 },
      { memberId: 'svc-2-bbb', clientId: 'svc-2', host: '10.0.0.8', partitions: 1 },
    ]);
    expect(owners.get('orders', 0)?.clientId).toBe('svc-1');
    expect(owners.get('orders', 1)?.clientId).toBe('svc-2');
    expect(owners.get('orders.retry.1', 0)?.clientId).toBe('svc-1');
    expect(owners.get('orders', 3)).toBeUndefined();
  });

  it('a member without an assignment (joining, or a simple group) owns nothing', () => {
    const { list, owners } = groupMembership([
      { memberId: 'm', clientId: 'c', clientHost: '/h', memberAssignment: Buffer.alloc(0) },
    ]);
    expect(list[0]?.partitions).toBe(0);
    expect([...owners.entries()]).toEqual([]);
  });
});

describe('decodeAssignment', () => {
  it('reads the consumer protocol and gives up quietly on any other format', () => {
    expect(decodeAssignment(assignment({ t: [4] }))).toEqual({ t: [4] });
    expect(decodeAssignment(Buffer.alloc(0))).toEqual({});
    // A Connect worker's assignment is not in the consumer format.
    expect(decodeAssignment(Buffer.from([0, 1, 0xff, 0xff, 0xff]))).toEqual({});
  });
});
