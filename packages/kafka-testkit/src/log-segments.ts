// Kafka's own DumpLogSegments as a witness of what a topic's log files hold: every batch
// with its producer id, epoch and sequence numbers, and every record's value.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KafkaTestkitError } from './errors.js';
import { runKafkaJavaTool } from './kafka-java-tool.js';

/** One record batch as DumpLogSegments prints it. */
export interface LogBatch {
  readonly partition: number;
  readonly baseOffset: bigint;
  readonly count: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  /** Record values as text (`payload:`), in offset order. */
  readonly values: readonly string[];
}

interface MutableBatch extends Omit<LogBatch, 'values'> {
  values: string[];
}

function field(line: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}: (\\S+)`).exec(line);
  return match?.[1];
}

/**
 * Parses `DumpLogSegments --print-data-log` output. Each file's part starts with
 * `Dumping <path>`; `partitionOf` names the partition of a path. Batch lines start with
 * `baseOffset:`, record lines with `| offset:` and end with `payload: <value>` (values must
 * not contain a newline).
 */
export function parseDumpLogSegments(
  output: string,
  partitionOf: (path: string) => number,
): LogBatch[] {
  const batches: MutableBatch[] = [];
  let partition = -1;
  for (const line of output.split('\n')) {
    if (line.startsWith('Dumping ')) {
      partition = partitionOf(line.slice('Dumping '.length).trim());
    } else if (line.startsWith('baseOffset:')) {
      const need = (name: string): string => {
        const value = field(line, name);
        if (value === undefined) {
          throw new KafkaTestkitError(
            'TESTKIT_CONSUME_FAILED',
            `DumpLogSegments line without ${name}: ${line}`,
          );
        }
        return value;
      };
      batches.push({
        partition,
        baseOffset: BigInt(need('baseOffset')),
        count: Number(need('count')),
        producerId: BigInt(need('producerId')),
        producerEpoch: Number(need('producerEpoch')),
        baseSequence: Number(need('baseSequence')),
        values: [],
      });
    } else if (line.startsWith('| offset:')) {
      const at = line.indexOf(' payload: ');
      const current = batches[batches.length - 1];
      if (at >= 0 && current) current.values.push(line.slice(at + ' payload: '.length));
    }
  }
  return batches;
}

/** One broker's copy of a topic's log files, wherever the broker runs. */
export interface BrokerLogFiles {
  /** The `.log` segment files of `topic` this broker holds, each with its partition. */
  segments(topic: string): Promise<Map<string, number>>;
  /** `DumpLogSegments --print-data-log` over those files, as the tool prints it. */
  dump(files: readonly string[]): Promise<string>;
}

/** The partition of `<dir>/<topic>-<n>/<segment>.log`, or undefined for another topic. */
export function partitionOfSegment(path: string, topic: string): number | undefined {
  const parts = path.split('/');
  const dir = parts[parts.length - 2] ?? '';
  const prefix = `${topic}-`;
  if (!dir.startsWith(prefix) || !path.endsWith('.log')) return undefined;
  const rest = dir.slice(prefix.length);
  return /^\d+$/.test(rest) ? Number(rest) : undefined;
}

/**
 * Every batch of `topic` in the brokers' log files, read with Kafka's DumpLogSegments, one
 * run per broker. Each partition is taken from the broker whose copy holds the most
 * records (a restarted follower may still be catching up).
 */
export async function dumpLogBatches(
  brokers: readonly BrokerLogFiles[],
  topic: string,
): Promise<LogBatch[]> {
  const best = new Map<number, LogBatch[]>();
  const records = (list: readonly LogBatch[]) => list.reduce((n, b) => n + b.count, 0);
  for (const broker of brokers) {
    const partitionOfFile = await broker.segments(topic);
    if (partitionOfFile.size === 0) continue;
    const files = [...partitionOfFile.keys()].sort();
    const batches = parseDumpLogSegments(
      await broker.dump(files),
      (path) => partitionOfFile.get(path) ?? -1,
    );
    for (const partition of new Set(partitionOfFile.values())) {
      const own = batches.filter((b) => b.partition === partition);
      if (records(own) >= records(best.get(partition) ?? [])) best.set(partition, own);
    }
  }
  return [...best.keys()].sort((a, b) => a - b).flatMap((p) => best.get(p)!);
}

/** The brokers of a local cluster: `<logDir>/broker-<id>/data`, read by the fetched jars. */
export async function localBrokerLogFiles(logDir: string): Promise<BrokerLogFiles[]> {
  const brokerDirs = (await readdir(logDir)).filter((d) => d.startsWith('broker-'));
  return brokerDirs.map((broker) => {
    const dataDir = join(logDir, broker, 'data');
    return {
      async segments(topic) {
        const found = new Map<string, number>();
        for (const dir of await readdir(dataDir).catch(() => [] as string[])) {
          const files = await readdir(join(dataDir, dir)).catch(() => [] as string[]);
          for (const f of files) {
            const path = join(dataDir, dir, f);
            const partition = partitionOfSegment(path, topic);
            if (partition !== undefined) found.set(path, partition);
          }
        }
        return found;
      },
      async dump(files) {
        const { stdout } = await runKafkaJavaTool({
          mainClass: 'kafka.tools.DumpLogSegments',
          args: ['--print-data-log', '--files', files.join(',')],
          timeoutMs: 300_000,
        });
        return stdout;
      },
    };
  });
}
