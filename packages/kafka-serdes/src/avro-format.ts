import type { Type, types } from 'avsc';
import { parseAvro, recordNameOf, sameCanonicalForm } from './avro-parse.js';
import type { AvroSchema, AvroValue } from './avro-types.js';
import { fieldPath, shortValue } from './field-path.js';
import { RegistryError, type RegistryClient } from './registry-client.js';
import { SchemaSetupError } from './schema-setup-error.js';
import type { BindContext, Format, Serde } from './serde.js';
import { SerdesError } from './serdes-error.js';
import { subjectName, type SubjectNameStrategy } from './subject-name-strategy.js';
import { headerLength, magicByte, unframe } from './wire-format.js';
import type { WriterSchemas } from './writer-schemas.js';

export interface AvroFormatOptions {
  /** Write with this registered schema id (production pinning); never registers. */
  readonly schemaId?: number;
  /** Overrides the subject name strategy given when binding, for this schema. */
  readonly subjectNameStrategy?: SubjectNameStrategy;
}

/**
 * Avro in the Confluent wire format, with `schema` as this service's schema: the one it
 * writes (or checks the registered one against) and the one it reads into. Declare the
 * schema `as const` and the value types follow from it.
 */
export function avro<const S extends AvroSchema>(
  schema: S,
  options: AvroFormatOptions = {},
): Format<AvroValue<S>, AvroValue<S, 'read'>> {
  const local = parseAvro(schema, 'avro schema');
  if (
    options.schemaId !== undefined &&
    (!Number.isInteger(options.schemaId) || options.schemaId < 0)
  ) {
    throw new RangeError(`avro schemaId: expected an integer >= 0, got ${options.schemaId}`);
  }
  return {
    kind: 'avro',
    needsRegistry: true,
    bind: (context) =>
      AvroSerde.bind<AvroValue<S>, AvroValue<S, 'read'>>(schema, local, options, context),
  };
}

type Reader<Out> = ((body: Buffer) => Out) | { readonly refused: string };

/** Avro bound to a subject and a writer schema id. Built by `avro(...).bind`. */
export class AvroSerde<In, Out> implements Serde<In, Out> {
  /** By writer id: how to read its bodies into `local`, or why they cannot be. */
  private readonly readers = new Map<number, Reader<Out>>();
  /** Encoding scratch with the header already in place; grows to the largest record. */
  private scratch: Buffer;

  private constructor(
    private readonly local: Type,
    private readonly writer: Type,
    readonly schemaId: number,
    readonly subject: string,
    private readonly writerSchemas: WriterSchemas,
    private readonly what: string,
  ) {
    this.scratch = this.header(1024);
    if (sameCanonicalForm(writer, local))
      this.readers.set(schemaId, (b) => local.fromBuffer(b) as Out);
  }

  static async bind<In, Out>(
    declared: AvroSchema,
    local: Type,
    options: AvroFormatOptions,
    context: BindContext,
  ): Promise<AvroSerde<In, Out>> {
    const { registry, writerSchemas } = context;
    if (registry === undefined || writerSchemas === undefined) {
      throw new TypeError(
        `${context.topic} ${context.role}: Avro needs a schema registry (registry option)`,
      );
    }
    const subject = subjectName(options.subjectNameStrategy ?? context.subjectNameStrategy, {
      topic: context.topic,
      role: context.role,
      recordName: recordNameOf(local),
    });
    const { id, writer } = await writerFor(declared, local, subject, options, context, registry);
    writerSchemas.remember(id, writer);
    return new AvroSerde<In, Out>(
      local,
      writer,
      id,
      subject,
      writerSchemas,
      `${context.role} of topic "${context.topic}"`,
    );
  }

  encode(value: In): Buffer {
    let end: number;
    try {
      end = this.writer.encode(value, this.scratch, headerLength);
      if (end < 0) {
        // avsc says how many bytes were missing; grow once to fit, with room to spare.
        this.scratch = this.header(2 * (this.scratch.length - end));
        end = this.writer.encode(value, this.scratch, headerLength);
      }
    } catch (err) {
      throw this.mismatch(value, err);
    }
    const out = Buffer.allocUnsafe(end);
    this.scratch.copy(out, 0, 0, end);
    return out;
  }

  prepare(bytes: Buffer | null): Promise<void> | undefined {
    // Bytes that are not in the wire format need nothing loaded: decode names their fault.
    if (bytes === null || bytes.length < headerLength || bytes[0] !== magicByte) return undefined;
    const id = bytes.readInt32BE(1);
    if (this.readers.has(id) || id < 0) return undefined;
    return this.writerSchemas.load(id).then((writer) => {
      this.readers.set(id, this.readerFor(writer, id));
    });
  }

  decode(bytes: Buffer | null): Out {
    const { schemaId, body } = unframe(bytes);
    const reader = this.readers.get(schemaId);
    if (reader === undefined) {
      throw new Error(
        `${this.what}: schema id ${schemaId} is not loaded; await prepare(bytes) before decode`,
      );
    }
    if (typeof reader !== 'function') {
      throw new SerdesError('body-mismatch', `${this.what}: ${reader.refused}`);
    }
    try {
      return reader(body);
    } catch (err) {
      throw new SerdesError(
        'body-mismatch',
        `${this.what}: the ${body.length}-byte body after the header does not match writer schema id ${schemaId}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  private readerFor(writer: Type, id: number): Reader<Out> {
    if (sameCanonicalForm(writer, this.local)) return (b) => this.local.fromBuffer(b) as Out;
    try {
      const resolver = this.local.createResolver(writer);
      return (b) => this.local.fromBuffer(b, resolver) as Out;
    } catch (err) {
      return {
        refused: `written with schema id ${id}, which this service's schema cannot read: ${(err as Error).message}`,
      };
    }
  }

  private header(size: number): Buffer {
    const buffer = Buffer.allocUnsafe(size);
    buffer[0] = magicByte;
    buffer.writeInt32BE(this.schemaId, 1);
    return buffer;
  }

  private mismatch(value: unknown, err: unknown): SerdesError {
    const faults: string[] = [];
    this.writer.isValid(value, {
      errorHook: (path, found, type) => {
        faults.push(`${fieldPath(path)} is ${shortValue(found)}, expected ${typeLabel(type)}`);
      },
    });
    const detail = faults.length > 0 ? faults.slice(0, 5).join('; ') : (err as Error).message;
    return new SerdesError(
      'value-mismatch',
      `${this.what} does not match schema id ${this.schemaId}: ${detail}${faults.length > 5 ? ` (and ${faults.length - 5} more)` : ''}`,
      { cause: err },
    );
  }
}

function typeLabel(type: Type): string {
  const name = type.typeName;
  if (name === 'enum') return `one of ${(type as types.EnumType).symbols.join(', ')}`;
  if (name === 'union:unwrapped') {
    return (type as types.UnwrappedUnionType).types.map((t) => t.typeName).join(' or ');
  }
  return name;
}

/** The schema id to write with, by mode, checked before any record is sent. */
async function writerFor(
  declared: AvroSchema,
  local: Type,
  subject: string,
  options: AvroFormatOptions,
  context: BindContext,
  registry: RegistryClient,
): Promise<{ id: number; writer: Type }> {
  const where = `${context.role} of topic "${context.topic}" (subject "${subject}")`;
  if (options.schemaId === undefined && context.writerSchema === 'autoRegister') {
    try {
      // The schema as declared: avsc's export drops defaults and logical types, which the
      // registry's compatibility check and other clients (Java's decimal) need.
      const id = await registry.register(subject, JSON.stringify(declared));
      return { id, writer: local };
    } catch (err) {
      throw new SchemaSetupError(
        subject,
        `registering the ${where} failed: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  let registered: { id: number; schema: string; version?: number };
  try {
    registered =
      options.schemaId === undefined
        ? await registry.latest(subject)
        : await registry.schemaById(options.schemaId);
  } catch (err) {
    const missing = err instanceof RegistryError && err.status === 404;
    const which =
      options.schemaId === undefined ? 'its latest schema' : `pinned schema id ${options.schemaId}`;
    throw new SchemaSetupError(
      subject,
      missing
        ? `${where}: the registry has no ${options.schemaId === undefined ? `subject "${subject}"` : `schema id ${options.schemaId}`} (${context.writerSchema === 'useLatest' ? 'useLatest' : 'a pinned id'} never registers: register the schema first, or use writerSchema 'autoRegister' in development)`
        : `${where}: fetching ${which} failed: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const label =
    registered.version === undefined
      ? `id ${registered.id}`
      : `version ${registered.version}, id ${registered.id}`;
  let writer: Type;
  try {
    writer = parseAvro(registered.schema, `the registered schema (${label})`);
  } catch (err) {
    throw new SchemaSetupError(subject, `${where}: ${(err as Error).message}`, { cause: err });
  }
  if (!sameCanonicalForm(writer, local)) {
    // Values are typed by this service's schema and written with the registered one: that
    // works when the registered schema can read what this one writes (missing fields have
    // defaults, enums and unions cover ours).
    try {
      writer.createResolver(local);
    } catch (err) {
      throw new SchemaSetupError(
        subject,
        `${where}: the registered schema (${label}) cannot take this service's values: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  return { id: registered.id, writer };
}
