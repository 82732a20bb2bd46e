import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runKafkaJavaTool } from '@org/kafka-testkit';

/** The partition the Java client (kafka-clients' BuiltInPartitioner) picks for each key. */
export async function javaPartitions(
  keys: readonly string[],
  partitions: number,
): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'java-partitions-'));
  const file = join(dir, 'keys.txt');
  await writeFile(file, keys.join('\n'));
  const source = fileURLToPath(new URL('./java/PartitionForKey.java', import.meta.url));
  // Java 11+ runs a single source file directly; the Kafka jars are on the classpath.
  const { stdout } = await runKafkaJavaTool({
    mainClass: source,
    args: [file, String(partitions)],
  });
  return stdout.trim().split('\n').map(Number);
}
