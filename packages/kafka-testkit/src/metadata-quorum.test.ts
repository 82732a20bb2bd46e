import { describe, expect, it } from 'vitest';
import { parseQuorumLeader } from './metadata-quorum.js';

describe('parseQuorumLeader', () => {
  it('reads LeaderId from kafka-metadata-quorum describe --status', () => {
    const status = `ClusterId:              AbCdEfGhIjKlMnOpQrStUv
LeaderId:               2
LeaderEpoch:            7
HighWatermark:          1234
MaxFollowerLag:         0
CurrentVoters:          [{"id": 1}, {"id": 2}, {"id": 3}]
`;
    expect(parseQuorumLeader(status)).toBe(2);
  });

  it('fails with the output when there is no leader line', () => {
    expect(() => parseQuorumLeader('nothing here')).toThrow(/No LeaderId[\s\S]*nothing here/);
  });
});
