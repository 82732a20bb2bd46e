// The produce path's network through kafkajs: its cluster for connections and metadata,
// our own Produce request and response on its connections.
import type { Kafka } from 'kafkajs';
import type { PartitionInfo } from './partitioner.js';
import {
  ProduceTransportError,
  type OutgoingRecords,
  type ProduceDriver,
} from './produce-driver.js';
import {
  decodeProduceResponse,
  encodeProduceRequest,
  produceApiKey,
  produceVersions,
  type PartitionResponse,
} from './produce-request.js';
import { createKafkaJsCluster, type KafkaJsBroker } from './kafkajs-protocol.js';
import type { ProducerIdentity } from './partition-sequencer.js';
import { retryBackoffMs } from './retry-backoff.js';

function produceVersion(broker: KafkaJsBroker): number {
  const range = broker.versions?.[produceApiKey];
  const version = Math.min(produceVersions.max, range?.maxVersion ?? produceVersions.max);
  if (range !== undefined && (version < produceVersions.min || version < range.minVersion)) {
    throw new Error(
      `Broker ${broker.nodeId} speaks Produce v${range.minVersion} to v${range.maxVersion}; this producer needs v${produceVersions.min} or later (Kafka 0.11+)`,
    );
  }
  return version;
}

/** A ProduceDriver over a kafkajs client's cluster. */
export function kafkaJsProduceDriver(kafka: Kafka): ProduceDriver {
  const cluster = createKafkaJsCluster(kafka);
  const topics = new Set<string>();
  // Partition lists rebuilt only when kafkajs replaces its metadata object: the partitioner
  // asks for every record.
  let cachedFrom: unknown;
  const cache = new Map<string, readonly PartitionInfo[]>();

  return {
    connect: () => cluster.connect(),
    disconnect: () => cluster.disconnect(),

    async loadTopics(list) {
      const missing = list.filter((t) => !topics.has(t));
      if (missing.length === 0) return;
      await cluster.addMultipleTargetTopics(missing);
      for (const t of missing) topics.add(t);
    },

    partitionsOf(topic) {
      if (!topics.has(topic)) return undefined;
      const metadata = cluster.brokerPool.metadata;
      if (metadata !== cachedFrom) {
        cache.clear();
        cachedFrom = metadata;
      }
      let partitions = cache.get(topic);
      if (partitions === undefined) {
        try {
          partitions = cluster
            .findTopicPartitionMetadata(topic)
            .map((p) => ({ partitionId: p.partitionId, leader: p.leader }))
            .sort((a, b) => a.partitionId - b.partitionId);
        } catch {
          return undefined;
        }
        if (partitions.length === 0) return undefined;
        cache.set(topic, partitions);
      }
      return partitions;
    },

    refreshMetadata: () => cluster.refreshMetadata(),

    async initProducerId(): Promise<ProducerIdentity> {
      // A fresh cluster answers COORDINATOR_LOAD_IN_PROGRESS for a while: retry what Kafka
      // calls retriable, for about half a minute.
      for (let failures = 1; ; failures++) {
        try {
          // Any broker hands out producer ids to a producer that is not transactional.
          await cluster.refreshMetadataIfNecessary();
          const broker = await cluster.findControllerBroker();
          const { producerId, producerEpoch } = await broker.initProducerId({
            transactionTimeout: 60_000,
          });
          return { producerId: BigInt(producerId), producerEpoch };
        } catch (err) {
          if ((err as { retriable?: boolean }).retriable !== true || failures >= 40) throw err;
          await new Promise((resolve) => setTimeout(resolve, retryBackoffMs(failures)));
        }
      }
    },

    async produce(
      brokerId: number,
      acks: number,
      timeoutMs: number,
      batches: readonly OutgoingRecords[],
    ): Promise<PartitionResponse[]> {
      let broker: KafkaJsBroker;
      try {
        broker = await cluster.findBroker({ nodeId: brokerId });
      } catch (err) {
        throw new ProduceTransportError(
          `Broker ${brokerId} is not reachable: ${(err as Error).message}`,
          false,
          { cause: err },
        );
      }
      const version = produceVersion(broker);
      try {
        const answer = await broker.connectionPool.send({
          request: {
            apiKey: produceApiKey,
            apiVersion: version,
            apiName: 'Produce',
            expectResponse: () => acks !== 0,
            encode: () => Promise.resolve(encodeProduceRequest(acks, timeoutMs, batches)),
          },
          response: {
            decode: (payload: Buffer) => Promise.resolve(decodeProduceResponse(version, payload)),
            parse: (data: unknown) => Promise.resolve(data),
          },
          // The SDK reports the outcome; kafkajs need not log each failed attempt.
          logResponseError: false,
        });
        return acks === 0 ? [] : (answer as PartitionResponse[]);
      } catch (err) {
        const e = err as Error;
        // As kafkajs's own broker does: a closed connection is reopened on the next request.
        if (e.name === 'KafkaJSConnectionClosedError') await broker.disconnect().catch(() => {});
        throw new ProduceTransportError(
          `Produce to broker ${brokerId} got no answer: ${e.message}`,
          true,
          {
            cause: err,
          },
        );
      }
    },
  };
}
