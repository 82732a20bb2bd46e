// Avro schemas declared `as const` carry their shape into TypeScript: `AvroValue<typeof s>`
// is the type of the values avsc reads and writes for schema `s`, so a producer sending a
// wrong field name or type does not compile.

type Primitive = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

export interface AvroField {
  readonly name: string;
  readonly type: AvroSchema;
  readonly default?: unknown;
  readonly doc?: string;
}

/** The Avro schemas the type inference understands (named references give `unknown`). */
export type AvroSchema =
  // A primitive type name, or a reference to a named type.
  | string
  | readonly AvroSchema[]
  | {
      readonly type: 'record' | 'error';
      readonly name: string;
      readonly namespace?: string;
      readonly fields: readonly AvroField[];
    }
  | { readonly type: 'enum'; readonly name: string; readonly symbols: readonly string[] }
  | { readonly type: 'array'; readonly items: AvroSchema }
  | { readonly type: 'map'; readonly values: AvroSchema }
  | { readonly type: 'fixed'; readonly name: string; readonly size: number }
  | { readonly type: Primitive; readonly logicalType?: string };

type PrimitiveValue<S> = S extends 'null'
  ? null
  : S extends 'boolean'
    ? boolean
    : S extends 'int' | 'long' | 'float' | 'double'
      ? number
      : S extends 'bytes'
        ? Buffer
        : S extends 'string'
          ? string
          : unknown;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** 'write': what a producer gives (defaulted fields optional); 'read': what a decoder returns. */
export type AvroMode = 'write' | 'read';

type RecordValue<F extends readonly AvroField[], M extends AvroMode> = M extends 'read'
  ? Simplify<{ -readonly [K in F[number] as K['name']]: AvroValue<K['type'], M> }>
  : Simplify<
      {
        -readonly [K in F[number] as K extends { default: unknown } ? never : K['name']]: AvroValue<
          K['type'],
          M
        >;
      } & {
        -readonly [
          K in F[number] as K extends { default: unknown } ? K['name'] : never
        ]?: AvroValue<K['type'], M>;
      }
    >;

/**
 * The TypeScript type of a value of Avro schema `S`: records are objects, enums their
 * symbols, unions the union of their branches, arrays arrays, maps string records, bytes and
 * fixed Buffers, int/long/float/double numbers (avsc reads longs as numbers and refuses those
 * beyond 2^53). In `'write'` mode (the default) fields with a default may be omitted, as avsc
 * fills them in; in `'read'` mode every field is present. A named type referenced by name
 * is `unknown`: declare it inline to get its type. So is the value of a schema typed only as
 * `AvroSchema`.
 */
export type AvroValue<S, M extends AvroMode = 'write'> =
  // A schema typed only as AvroSchema (not declared `as const`) says nothing about values.
  AvroSchema extends S ? unknown : AvroValueOf<S, M>;

type AvroValueOf<S, M extends AvroMode> = S extends Primitive
  ? PrimitiveValue<S>
  : S extends readonly (infer U)[]
    ? AvroValue<U, M>
    : S extends {
          readonly type: 'record' | 'error';
          readonly fields: infer F extends readonly AvroField[];
        }
      ? RecordValue<F, M>
      : S extends { readonly type: 'enum'; readonly symbols: readonly (infer E)[] }
        ? E
        : S extends { readonly type: 'array'; readonly items: infer I }
          ? AvroValue<I, M>[]
          : S extends { readonly type: 'map'; readonly values: infer V }
            ? Record<string, AvroValue<V, M>>
            : S extends { readonly type: 'fixed' }
              ? Buffer
              : S extends { readonly type: infer T extends Primitive }
                ? PrimitiveValue<T>
                : unknown;
