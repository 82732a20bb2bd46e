import { RegistryClient, type RegistryClientOptions } from './registry-client.js';
import type { Format, Serde, WriterSchemaMode } from './serde.js';
import { stringKey } from './key-formats.js';
import type { SubjectNameStrategy } from './subject-name-strategy.js';
import { WriterSchemas } from './writer-schemas.js';

/** Record headers, as the producer takes them. */
export type MessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** One record to publish on a typed topic. */
export type TypedMessage<K, V> = {
  readonly value: V;
  readonly headers?: MessageHeaders;
  /** Forces a partition, bypassing the partitioner. */
  readonly partition?: number;
  /** Milliseconds since the epoch, as a string; default: now. */
  readonly timestamp?: string;
} & (undefined extends K ? { readonly key?: K } : { readonly key: K });

/** What `record` builds: a `ProducerRecord` for `@org/kafka-producer`'s `send`. */
export interface EncodedRecord {
  readonly topic: string;
  readonly messages: EncodedMessage[];
}

export interface EncodedMessage {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: MessageHeaders;
  readonly partition?: number;
  readonly timestamp?: string;
}

/** The part of a consumed record a typed topic reads (`@org/kafka-consumer`'s records have it). */
export interface RawRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/** A consumed record with its key and value decoded; the bytes stay as `rawKey`/`rawValue`. */
export type DecodedRecord<R extends RawRecord, K, V> = Omit<R, 'key' | 'value'> & {
  readonly key: K;
  readonly value: V;
  readonly rawKey: Buffer | null;
  readonly rawValue: Buffer | null;
};

type KeySpec = 'string' | Format<unknown, unknown>;
type In<F> = F extends 'string' ? string : F extends Format<infer I, unknown> ? I : never;
type Out<F> = F extends 'string' ? string : F extends Format<unknown, infer O> ? O : never;

export interface TopicDefinition<KIn, KOut, VIn, VOut> {
  readonly name: string;
  /** Binds the formats to a registry and checks the schemas, before any record flows. */
  bind(options?: BindOptions): Promise<TypedTopic<KIn, KOut, VIn, VOut>>;
}

export interface BindOptions {
  /** A client, or the options to make one; needed by Avro formats. */
  readonly registry?: RegistryClient | RegistryClientOptions;
  /** Default `'useLatest'`: production services never register schemas. */
  readonly writerSchema?: WriterSchemaMode;
  /** Default `'TopicName'` (`<topic>-key`, `<topic>-value`). */
  readonly subjectNameStrategy?: SubjectNameStrategy;
}

/**
 * A topic whose keys and values have types: `name` and the formats of its key (`'string'`
 * or a format) and value. `bind` it once at start; then `record(...)` builds what the
 * producer sends and `handler(...)` wraps a consumer handler that receives typed records.
 */
export function defineTopic<
  const K extends KeySpec,
  V extends Format<unknown, unknown>,
>(definition: {
  readonly name: string;
  readonly key: K;
  readonly value: V;
}): TopicDefinition<In<K>, Out<K>, In<V>, Out<V>> {
  const { name } = definition;
  if (typeof name !== 'string' || !/^[A-Za-z0-9._-]{1,249}$/.test(name)) {
    throw new TypeError(
      `defineTopic name: expected a Kafka topic name (letters, digits, ".", "_", "-"), got ${JSON.stringify(name)}`,
    );
  }
  const keyFormat = (definition.key === 'string' ? stringKey() : definition.key) as Format<
    In<K>,
    Out<K>
  >;
  const valueFormat = definition.value as Format<In<V>, Out<V>>;
  for (const [role, format] of [
    ['key', keyFormat],
    ['value', valueFormat],
  ] as const) {
    if (typeof (format as { bind?: unknown } | undefined)?.bind !== 'function') {
      throw new TypeError(
        `defineTopic ${role} of "${name}": expected ${role === 'key' ? "'string' or " : ''}a format (avro(schema), json(schema)${role === 'key' ? ', noKey()' : ''})`,
      );
    }
  }
  return {
    name,
    bind: async (options = {}) => {
      const needsRegistry = keyFormat.needsRegistry || valueFormat.needsRegistry;
      if (needsRegistry && options.registry === undefined) {
        throw new TypeError(
          `bind "${name}": registry: required, the topic's ${valueFormat.needsRegistry ? 'value' : 'key'} format uses a schema registry`,
        );
      }
      const registry =
        options.registry === undefined || options.registry instanceof RegistryClient
          ? options.registry
          : new RegistryClient(options.registry);
      const shared = {
        topic: name,
        registry,
        writerSchemas: registry === undefined ? undefined : writerSchemasOf(registry),
        writerSchema: options.writerSchema ?? 'useLatest',
        subjectNameStrategy: options.subjectNameStrategy ?? 'TopicName',
      };
      if (shared.writerSchema !== 'useLatest' && shared.writerSchema !== 'autoRegister') {
        throw new TypeError(
          `bind "${name}": writerSchema: expected 'useLatest' or 'autoRegister', got ${JSON.stringify(shared.writerSchema)}`,
        );
      }
      const [key, value] = await Promise.all([
        keyFormat.bind({ ...shared, role: 'key' }),
        valueFormat.bind({ ...shared, role: 'value' }),
      ]);
      return new TypedTopic(name, key, value);
    },
  };
}

// One writer-schema cache per registry client, shared by every topic bound with it.
const caches = new WeakMap<RegistryClient, WriterSchemas>();
function writerSchemasOf(registry: RegistryClient): WriterSchemas {
  let cache = caches.get(registry);
  if (cache === undefined) {
    cache = new WriterSchemas(registry);
    caches.set(registry, cache);
  }
  return cache;
}

/** A bound typed topic: encodes for the producer, decodes for the consumer. */
export class TypedTopic<KIn, KOut, VIn, VOut> {
  constructor(
    readonly name: string,
    readonly key: Serde<KIn, KOut>,
    readonly value: Serde<VIn, VOut>,
  ) {}

  /** A record for `producer.send`: every key and value encoded, or a SerdesError naming the field. */
  record(messages: readonly TypedMessage<KIn, VIn>[]): EncodedRecord {
    return { topic: this.name, messages: messages.map((m, i) => this.message(m, i)) };
  }

  /** One encoded message, for `sendBatch` or a record built by hand. */
  message(message: TypedMessage<KIn, VIn>, index = 0): EncodedMessage {
    try {
      return {
        key: this.key.encode(message.key as KIn),
        value: this.value.encode(message.value),
        ...(message.headers === undefined ? {} : { headers: message.headers }),
        ...(message.partition === undefined ? {} : { partition: message.partition }),
        ...(message.timestamp === undefined ? {} : { timestamp: message.timestamp }),
      };
    } catch (err) {
      if (err instanceof Error) err.message = `messages[${index}]: ${err.message}`;
      throw err;
    }
  }

  /** Decodes a consumed record, loading a writer schema on its first record. */
  async decode<R extends RawRecord>(record: R): Promise<DecodedRecord<R, KOut, VOut>> {
    const loading = this.prepare(record);
    if (loading !== undefined) await loading;
    return this.decodeLoaded(record);
  }

  /**
   * Wraps a consumer handler: the handler receives decoded records. A record that does not
   * decode throws a SerdesError (non-retriable), which the consumer dead-letters with the
   * reason; the handler never sees it. Awaits only on a schema's first record.
   */
  handler<R extends RawRecord, C>(
    handle: (record: DecodedRecord<R, KOut, VOut>, context: C) => Promise<void>,
  ): (record: R, context: C) => Promise<void> {
    return async (record, context) => {
      const loading = this.prepare(record);
      if (loading !== undefined) await loading;
      await handle(this.decodeLoaded(record), context);
    };
  }

  /**
   * Wraps a batch handler. One record that does not decode fails the batch; the consumer
   * then handles the batch's records one by one, so only that record is dead-lettered.
   */
  batchHandler<R extends RawRecord, C>(
    handle: (records: DecodedRecord<R, KOut, VOut>[], context: C) => Promise<void>,
  ): (records: readonly R[], context: C) => Promise<void> {
    return async (records, context) => {
      const loading: Promise<unknown>[] = [];
      for (const record of records) {
        const pending = this.prepare(record);
        if (pending !== undefined) loading.push(pending);
      }
      if (loading.length > 0) await Promise.all(loading);
      await handle(
        records.map((r) => this.decodeLoaded(r)),
        context,
      );
    };
  }

  private prepare(record: RawRecord): Promise<unknown> | undefined {
    const key = this.key.prepare(record.key);
    const value = this.value.prepare(record.value);
    if (key === undefined) return value;
    return value === undefined ? key : Promise.all([key, value]);
  }

  private decodeLoaded<R extends RawRecord>(record: R): DecodedRecord<R, KOut, VOut> {
    return {
      ...record,
      key: this.key.decode(record.key),
      value: this.value.decode(record.value),
      rawKey: record.key,
      rawValue: record.value,
    };
  }
}
