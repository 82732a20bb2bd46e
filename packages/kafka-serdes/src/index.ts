export { SerdesError } from './serdes-error.js';
export type { SerdesFault } from './serdes-error.js';
export { frame, unframe, magicByte, headerLength } from './wire-format.js';
export { subjectName } from './subject-name-strategy.js';
export type { SubjectNameStrategy, SubjectNameArgs } from './subject-name-strategy.js';
export type { AvroValue, AvroSchema, AvroField } from './avro-types.js';
export { RegistryClient, RegistryError, shouldRetry } from './registry-client.js';
export type { RegistryClientOptions, RegistryAuth, RegisteredSchema } from './registry-client.js';
