import { fixKafkaJsRequestQueue } from '@org/kafka-core';
import { Kafka, logLevel } from 'kafkajs';

/** A kafkajs client for assertions in tests; retries generously so failovers are survived. */
export function testClient(
  bootstrapServers: readonly string[],
  clientId = 'integration-tests',
): Kafka {
  fixKafkaJsRequestQueue();
  return new Kafka({
    brokers: [...bootstrapServers],
    clientId,
    logLevel: logLevel.NOTHING,
    retry: { retries: 15, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
}

/** Java processes on this machine that run a Kafka broker, by pid. */
export async function kafkaBrokerPids(): Promise<number[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('kafka.Kafka\0')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}
