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

/**
 * Every batch of `topic` in the log files under `logDir` (a local cluster's), read with
 * Kafka's DumpLogSegments, one run per broker. Each partition is taken from the broker
 * whose copy holds the most records (a restarted follower may still be catching up).
 */
export async function dumpLogBatches(logDir: string, topic: string): Promise<LogBatch[]> {
  const brokerDirs = (await readdir(logDir)).filter((d) => d.startsWith('broker-'));
  const best = new Map<number, LogBatch[]>();
  const prefix = `${topic}-`;
  const records = (list: readonly LogBatch[]) => list.reduce((n, b) => n + b.count, 0);
  for (const broker of brokerDirs) {
    const dataDir = join(logDir, broker, 'data');
    const partitionDirs = (await readdir(dataDir).catch(() => [] as string[])).filter(
      (d) => d.startsWith(prefix) && /^\d+$/.test(d.slice(prefix.length)),
    );
    const files: string[] = [];
    const partitionOfFile = new Map<string, number>();
    for (const dir of partitionDirs) {
      for (const f of (await readdir(join(dataDir, dir)))
        .filter((f) => f.endsWith('.log'))
        .sort()) {
        const path = join(dataDir, dir, f);
        files.push(path);
        partitionOfFile.set(path, Number(dir.slice(prefix.length)));
      }
    }
    if (files.length === 0) continue;
    const { stdout } = await runKafkaJavaTool({
      mainClass: 'kafka.tools.DumpLogSegments',
      args: ['--print-data-log', '--files', files.join(',')],
      timeoutMs: 300_000,
    });
    const batches = parseDumpLogSegments(stdout, (path) => partitionOfFile.get(path) ?? -1);
    for (const partition of new Set(partitionOfFile.values())) {
      const own = batches.filter((b) => b.partition === partition);
      if (records(own) >= records(best.get(partition) ?? [])) best.set(partition, own);
    }
  }
  return [...best.keys()].sort((a, b) => a - b).flatMap((p) => best.get(p)!);
}
