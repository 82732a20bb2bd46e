import type { RegistryClient } from './registry-client.js';
import type { SubjectNameStrategy } from './subject-name-strategy.js';
import type { WriterSchemas } from './writer-schemas.js';

/**
 * A bound serializer/deserializer for one topic's keys or values. `In` is what a producer
 * gives, `Out` what a consumer gets (with Avro, defaulted fields are optional in `In` and
 * always present in `Out`).
 */
export interface Serde<In, Out> {
  /** Bytes (or a string) for the producer. A SerdesError `value-mismatch` names the field. */
  encode(value: In): Buffer | string | null;
  /**
   * `undefined` when `decode(bytes)` can run now; otherwise a promise that loads what it
   * needs (a writer schema, once per schema id). Lets a caller await only on a schema's
   * first record.
   */
  prepare(bytes: Buffer | null): Promise<void> | undefined;
  /** The value; synchronous once `prepare` said so. A SerdesError for bytes at fault. */
  decode(bytes: Buffer | null): Out;
}

/** How schemas are found and registered; shared by the topics bound with it. */
export interface BindContext {
  readonly topic: string;
  readonly role: 'key' | 'value';
  readonly registry: RegistryClient | undefined;
  readonly writerSchemas: WriterSchemas | undefined;
  readonly writerSchema: WriterSchemaMode;
  readonly subjectNameStrategy: SubjectNameStrategy;
}

/**
 * Which schema a producer writes with. `'useLatest'` (the default) never registers: it
 * writes with the subject's latest version and fails at start when the subject is missing
 * or cannot take this service's values. `'autoRegister'` registers the service's schema
 * (development, or a pipeline that owns its schemas).
 */
export type WriterSchemaMode = 'useLatest' | 'autoRegister';

/** A key or value format before it is bound to a topic and a registry. */
export interface Format<In, Out> {
  readonly kind: string;
  /** Whether binding needs a schema registry. */
  readonly needsRegistry: boolean;
  bind(context: BindContext): Promise<Serde<In, Out>>;
  /** Type carriers only; never set. */
  readonly __in?: In;
  readonly __out?: Out;
}
