export { defineTopic, TypedTopic } from './typed-topic.js';
export type {
  TopicDefinition,
  BindOptions,
  TypedMessage,
  EncodedRecord,
  EncodedMessage,
  RawRecord,
  DecodedRecord,
  MessageHeaders,
} from './typed-topic.js';
export { avro, AvroSerde } from './avro-format.js';
export type { AvroFormatOptions } from './avro-format.js';
export { json } from './json-format.js';
export type { StandardSchemaV1, InferInput, InferOutput } from './standard-schema.js';
export { stringKey, noKey } from './key-formats.js';
export type { Serde, Format, BindContext, WriterSchemaMode } from './serde.js';
export { SerdesError } from './serdes-error.js';
export type { SerdesFault } from './serdes-error.js';
export { SchemaSetupError } from './schema-setup-error.js';
export { frame, unframe, magicByte, headerLength } from './wire-format.js';
export { subjectName } from './subject-name-strategy.js';
export type { SubjectNameStrategy, SubjectNameArgs } from './subject-name-strategy.js';
export type { AvroValue, AvroMode, AvroSchema, AvroField } from './avro-types.js';
export { RegistryClient, RegistryError, shouldRetry } from './registry-client.js';
export type { RegistryClientOptions, RegistryAuth, RegisteredSchema } from './registry-client.js';
export { WriterSchemas } from './writer-schemas.js';
export type { SchemaSource } from './writer-schemas.js';
export { decimalToBytes, bytesToDecimal } from './decimal-bytes.js';
