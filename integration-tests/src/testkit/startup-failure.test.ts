import { describe, expect, it } from 'vitest';
import { KafkaTestkitError, startKafkaCluster } from '@org/kafka-testkit';
import { kafkaBrokerPids } from '../kafka-clients.js';

describe('a cluster that cannot start', () => {
  it("fails with the failing broker's log and leaves no JVM behind", async () => {
    const before = await kafkaBrokerPids();
    const error = await startKafkaCluster({
      brokers: 1,
      brokerConfig: { 'num.network.threads': 'several' },
      startTimeoutMs: 60_000,
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(KafkaTestkitError.is(error)).toBe(true);
    const err = error as KafkaTestkitError;
    expect(err.code).toBe('TESTKIT_START_FAILED');
    expect(err.message).toMatch(/broker 1 exited/);
    expect(err.message).toMatch(/last lines of .*server\.log/);
    // Kafka's own complaint, quoted from the log.
    expect(err.message).toContain('num.network.threads');
    expect((await kafkaBrokerPids()).sort()).toEqual(before.sort());
  });
});
