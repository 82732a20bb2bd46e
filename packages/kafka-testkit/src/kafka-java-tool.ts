import { execFile } from 'node:child_process';
import { ensureKafkaDistribution } from './artifact-cache.js';
import { KafkaTestkitError } from './errors.js';
import { javaCommand } from './java-runtime.js';

export interface KafkaJavaToolResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a Java main class with the fetched Kafka jars on the classpath, for example
 * `org.apache.kafka.tools.consumer.group.ConsumerGroupCommand` or a class of your own in
 * `extraClasspath`: Kafka's own tools are the reference a test compares against.
 */
export async function runKafkaJavaTool(args: {
  mainClass: string;
  args: readonly string[];
  extraClasspath?: readonly string[];
  timeoutMs?: number;
  /**
   * JVM options; default a small heap and C1 only (a tool runs for seconds, full JIT would
   * only cost CPU). A benchmark of the Java client wants full JIT: pass e.g. ['-Xmx512m'].
   */
  jvmArgs?: readonly string[];
  /** Written to the tool's standard input, which is then closed (ConsoleProducer reads it). */
  input?: string;
}): Promise<KafkaJavaToolResult> {
  const libDir = await ensureKafkaDistribution();
  const classpath = [...(args.extraClasspath ?? []), `${libDir}/*`].join(':');
  return new Promise((resolve, reject) => {
    const child = execFile(
      javaCommand(),
      [
        ...(args.jvmArgs ?? ['-Xmx256m', '-XX:TieredStopAtLevel=1']),
        '-Dlog4j2.level=WARN',
        '-cp',
        classpath,
        args.mainClass,
        ...args.args,
      ],
      { timeout: args.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new KafkaTestkitError(
              'TESTKIT_START_FAILED',
              `${args.mainClass} failed: ${error.message}\n${stderr.split('\n').slice(-20).join('\n')}`,
              { cause: error },
            ),
          );
        } else resolve({ stdout, stderr });
      },
    );
    if (args.input !== undefined) child.stdin?.end(args.input);
  });
}
