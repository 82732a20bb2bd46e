// The one module that reaches into kafkajs 2.2.4's internals for the produce path: its
// record-batch encoder (records, varints, CRC32C, the compression codecs @org/kafka-core
// registers), its protocol encoder and decoder, its error table and the cluster it builds
// for its own producer (connections, TLS, SASL, metadata). kafkajs is pinned to 2.2.4 and
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

interface LongStatic {
  fromString(value: string): unknown;
}

/** One record as kafkajs's record encoder takes it. */
export interface RecordInput {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  readonly offsetDelta: number;
  readonly timestampDelta: number;
}

interface RecordBatchInput {
  compression: number;
  records: unknown[];
  firstTimestamp: number;
  maxTimestamp: number;
  lastOffsetDelta: number;
  producerId: unknown;
  producerEpoch: number;
  firstSequence: number;
  transactional: boolean;
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
const Long = require('kafkajs/src/utils/long') as LongStatic;
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (
  record: RecordInput,
) => unknown;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (input: RecordBatchInput) => Promise<KafkaJsEncoder>;
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

/** The fields of a record batch (v2) header that idempotence owns. */
export interface BatchIdentity {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
}

/**
 * Encodes one record batch (magic 2) with the given producer identity: the bytes of a
 * produce request's record set for one partition. Compression happens here, once per
 * identity; kafkajs's codecs (and those @org/kafka-core registers) do the work.
 */
export async function encodeRecordBatch(
  records: readonly RecordInput[],
  compression: number,
  firstTimestamp: number,
  maxTimestamp: number,
  identity: BatchIdentity,
): Promise<Buffer> {
  const encoded = await RecordBatch({
    compression,
    records: records.map(encodeRecord),
    firstTimestamp,
    maxTimestamp,
    lastOffsetDelta: records.length - 1,
    producerId: Long.fromString(String(identity.producerId)),
    producerEpoch: identity.producerEpoch,
    firstSequence: identity.baseSequence,
    transactional: false,
  });
  return encoded.buffer;
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
