// Which node leads the KRaft quorum (the active controller), as Kafka's own
// kafka-metadata-quorum tool reports it: clients' metadata names no controller in KRaft.
import { KafkaTestkitError } from './errors.js';
import { runKafkaJavaTool } from './kafka-java-tool.js';

/** The `LeaderId:` of `kafka-metadata-quorum describe --status` output. */
export function parseQuorumLeader(output: string): number {
  const match = /^LeaderId:\s+(\d+)\s*$/m.exec(output);
  if (!match) {
    throw new KafkaTestkitError(
      'TESTKIT_START_FAILED',
      `No LeaderId in the quorum status:\n${output}`,
    );
  }
  return Number(match[1]);
}

/** The node id of the active KRaft controller. */
export async function activeControllerId(bootstrapServers: readonly string[]): Promise<number> {
  const { stdout } = await runKafkaJavaTool({
    mainClass: 'org.apache.kafka.tools.MetadataQuorumCommand',
    args: ['--bootstrap-server', bootstrapServers.join(','), 'describe', '--status'],
  });
  return parseQuorumLeader(stdout);
}
