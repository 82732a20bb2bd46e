// The one module that reaches into kafkajs 2.2.4's internals for the produce path: its
// compression codecs (with those @org/kafka-core registers), its protocol encoder and
// decoder, its error table and the cluster it builds for its own producer (connections,
// TLS, SASL, metadata). kafkajs is pinned to 2.2.4 and
// frozen upstream, so these paths do not move; the integration suites exercise every one.
import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';

const require = createRequire(import.meta.url);

/** kafkajs's protocol encoder, as far as the produce path uses it. */
export interface KafkaJsEncoder {
  readonly buffer: Buffer;
  size(): number;
  writeInt16(value: number): KafkaJsEncoder;
  writeInt32(value: number): KafkaJsEncoder;
  writeString(value: string | null): KafkaJsEncoder;
  writeBuffer(value: Buffer): KafkaJsEncoder;
  writeEncoder(value: KafkaJsEncoder): KafkaJsEncoder;
}

/** kafkajs's protocol decoder, as far as the produce path uses it. */
export interface KafkaJsDecoder {
  readInt16(): number;
  readInt32(): number;
  readInt64(): { toString(): string };
  readString(): string | null;
  readArray<T>(reader: (decoder: KafkaJsDecoder) => T): T[];
  canReadBytes(length: number): boolean;
}

/** A Kafka error code as kafkajs's table describes it. */
export interface KafkaErrorInfo {
  readonly type: string;
  readonly code: number;
  readonly retriable: boolean;
  readonly message: string;
}

/** kafkajs's Broker, as far as the produce path uses it. */
export interface KafkaJsBroker {
  readonly nodeId: number;
  readonly versions: Record<number, { minVersion: number; maxVersion: number }> | null;
  readonly connectionPool: {
    send(protocol: KafkaJsProtocolRequest): Promise<unknown>;
  };
  initProducerId(args: {
    transactionalId?: string;
    transactionTimeout: number;
  }): Promise<{ producerId: string; producerEpoch: number }>;
  disconnect(): Promise<void>;
}

/** A request as kafkajs's Connection sends it: our own encode and decode. */
export interface KafkaJsProtocolRequest {
  readonly request: {
    readonly apiKey: number;
    readonly apiVersion: number;
    readonly apiName: string;
    expectResponse(): boolean;
    encode(): Promise<KafkaJsEncoder>;
  };
  readonly response: {
    decode(payload: Buffer): Promise<unknown>;
    parse(data: unknown): Promise<unknown>;
  };
  readonly requestTimeout?: number;
  readonly logResponseError?: boolean;
}

/** kafkajs's Cluster, as far as the produce path uses it. */
export interface KafkaJsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findTopicPartitionMetadata(
    topic: string,
  ): { partitionId: number; leader: number; partitionErrorCode: number }[];
  findBroker(args: { nodeId: string | number }): Promise<KafkaJsBroker>;
  findControllerBroker(): Promise<KafkaJsBroker>;
  /** Its metadata object is replaced on every refresh. */
  readonly brokerPool: { readonly metadata: unknown };
}

const EncoderClass = require('kafkajs/src/protocol/encoder') as new () => KafkaJsEncoder;
const DecoderClass = require('kafkajs/src/protocol/decoder') as new (
  buffer: Buffer,
) => KafkaJsDecoder;
const { lookupCodec } = require('kafkajs/src/protocol/message/compression') as {
  lookupCodec: (type: number) => { compress(encoder: { buffer: Buffer }): Promise<Buffer> } | null;
};
const { errorCodes } = require('kafkajs/src/protocol/error') as {
  errorCodes: KafkaErrorInfo[];
};

/** A new kafkajs protocol encoder. */
export function newEncoder(): KafkaJsEncoder {
  return new EncoderClass();
}

/** A kafkajs protocol decoder over `buffer`. */
export function newDecoder(buffer: Buffer): KafkaJsDecoder {
  return new DecoderClass(buffer);
}

const errorsByCode = new Map(errorCodes.map((e) => [e.code, e]));

/** What kafkajs knows of a Kafka error code; unknown codes are not retriable. */
export function kafkaErrorInfo(code: number): KafkaErrorInfo {
  return (
    errorsByCode.get(code) ?? {
      type: `KAFKA_ERROR_${code}`,
      code,
      retriable: false,
      message: `Kafka error code ${code}`,
    }
  );
}

/**
 * The compressor of a kafkajs compression type (kafkajs's gzip, and the snappy, LZ4 and
 * zstd codecs @org/kafka-core registers); undefined for none.
 */
export function compressorFor(type: number): ((records: Buffer) => Promise<Buffer>) | undefined {
  if (type === 0) return undefined;
  const codec = lookupCodec(type);
  if (codec === null) throw new Error(`No codec registered for compression type ${type}`);
  return (records) => codec.compress({ buffer: records });
}

const createClusterSymbolName = 'private:Kafka:createCluster';

/**
 * The cluster kafkajs would build for its own producer (same brokers, TLS, SASL, socket
 * factory, logger), for the SDK's produce path. Requests go out on it as they arrive: the
 * SDK, not kafkajs, decides what is in flight.
 */
export function createKafkaJsCluster(kafka: Kafka): KafkaJsCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === createClusterSymbolName,
  );
  const create =
    symbol === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[symbol];
  if (typeof create !== 'function') {
    throw new Error(
      'kafkajs changed: its client no longer builds clusters the way 2.2.4 does (this SDK needs kafkajs 2.2.4 exactly)',
    );
  }
  return (create as (options: object) => KafkaJsCluster)({
    allowAutoTopicCreation: false,
    maxInFlightRequests: null,
    // kafkajs's producer default: metadata is also refreshed whenever a leader moves.
    metadataMaxAge: 300_000,
  });
}
