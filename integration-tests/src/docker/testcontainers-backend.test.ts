import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startKafkaCluster,
  startSchemaRegistry,
  type StartedKafkaCluster,
  type StartedSchemaRegistry,
} from '@org/kafka-testkit';
import { testClient } from '../kafka-clients.js';

// Runs only through `npm run test:docker -w @org/integration-tests`, which .ci/run calls
// when a Docker engine answers.
describe('the testcontainers backend', () => {
  let cluster: StartedKafkaCluster;
  let registry: StartedSchemaRegistry;

  beforeAll(async () => {
    cluster = await startKafkaCluster({ backend: 'testcontainers' });
    registry = await startSchemaRegistry({ kafka: cluster });
  });

  afterAll(async () => {
    await registry?.stop();
    await cluster?.stop();
  });

  it('runs three brokers behind the same API, with a Confluent registry', async () => {
    expect(cluster.backend).toBe('testcontainers');
    expect(cluster.brokers).toHaveLength(3);
    await cluster.createTopic({ topic: 'docker-basics', partitions: 3 });
    const producer = testClient(cluster.bootstrapServers).producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: 'docker-basics', acks: -1, messages: [{ key: 'a', value: '1' }] });
    await producer.disconnect();
    const [record] = await cluster.consumeN('docker-basics', 1);
    expect(record!.value!.toString()).toBe('1');
    const res = await fetch(`${registry.url}/subjects`);
    expect(res.ok).toBe(true);
  });
});
