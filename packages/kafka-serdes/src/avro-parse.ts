import avro from 'avsc';

/** Parses a schema (an object or its JSON text); the error says which and why. */
export function parseAvro(schema: unknown, what: string): avro.Type {
  let parsed = schema;
  if (typeof schema === 'string') {
    try {
      parsed = JSON.parse(schema) as unknown;
    } catch {
      // A bare primitive name such as "string" is a schema too.
      parsed = schema;
    }
  }
  try {
    // Unions stay unwrapped (`null | string`, not `{ string: ... }`): the shape `AvroValue`
    // types. A union avsc could only represent wrapped (two records, say) is refused here
    // rather than read in a shape the types do not describe. A fresh options object each
    // time: avsc keeps its registry of named types on it, and a shared one would make two
    // versions of one record collide ("duplicate type name").
    return avro.Type.forSchema(parsed as avro.Schema, { wrapUnions: 'never' });
  } catch (err) {
    throw new TypeError(`${what}: not a usable Avro schema: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** The full name of a record schema, for the RecordName subject strategies. */
export function recordNameOf(type: avro.Type): string | undefined {
  return type.typeName === 'record' || type.typeName === 'error' ? type.name : undefined;
}

/** True when both write the same bytes (Avro's parsing canonical form is equal). */
export function sameCanonicalForm(a: avro.Type, b: avro.Type): boolean {
  return a.fingerprint('sha256').equals(b.fingerprint('sha256'));
}
