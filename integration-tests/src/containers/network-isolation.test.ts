import { describe, expect, it } from 'vitest';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { engineApi, labelled } from '../docker-engine.js';
import { testClient } from '../kafka-clients.js';

// Container backend only (vitest.containers.config.ts): the shared cluster's containers
// talk over a network the testkit created, and the host reaches them on loopback only.
describe('the container cluster stays on this machine', () => {
  const kafka = sharedKafka();

  it('publishes every port on 127.0.0.1 and joins only its own network', async () => {
    expect(kafka.backend).toBe('testcontainers');
    const { containers, networks } = await labelled('org.kafka-testkit.session');
    // Three brokers and the registry of the shared cluster.
    expect(containers.length).toBeGreaterThanOrEqual(4);
    const api = await engineApi();
    for (const summary of containers) {
      const info = await api.getContainer(summary.Id).inspect();
      const attached = Object.keys(info.NetworkSettings.Networks);
      expect(attached, info.Name).toHaveLength(1);
      expect(attached[0], info.Name).toMatch(/^kafka-testkit-/);
      expect(networks.map((n) => n.Name)).toContain(attached[0]);
      const portBindings = (info.HostConfig.PortBindings ?? {}) as Record<
        string,
        { HostIp: string }[]
      >;
      const bindings = Object.values(portBindings).flat();
      expect(bindings.length, info.Name).toBeGreaterThan(0);
      for (const binding of bindings) expect(binding.HostIp, info.Name).toBe('127.0.0.1');
    }
    for (const network of networks) {
      expect(network.Name).not.toBe('bridge');
      expect(network.Driver).toBe('bridge');
    }
  });

  it('advertises loopback addresses to clients', async () => {
    const admin = testClient(kafka.bootstrapServers).admin();
    await admin.connect();
    try {
      const { brokers } = await admin.describeCluster();
      expect(brokers).toHaveLength(3);
      for (const broker of brokers) expect(broker.host).toBe('127.0.0.1');
    } finally {
      await admin.disconnect();
    }
  });
});
