import { fieldPath, shortValue } from './field-path.js';
import type { Format, Serde } from './serde.js';
import { SerdesError } from './serdes-error.js';
import {
  isStandardSchema,
  issuePath,
  type InferInput,
  type InferOutput,
  type StandardSchemaIssue,
  type StandardSchemaResult,
  type StandardSchemaV1,
} from './standard-schema.js';

/**
 * JSON text validated by a schema, for topics that do not use a registry. Any Standard Schema
 * works: zod 3.24+ or 4 (whichever the service has), Valibot, ArkType. The producer's value is
 * validated before it is sent and written as given; the consumer's is parsed and validated,
 * and gets the schema's output (defaults and transforms applied).
 */
export function json<S extends StandardSchemaV1>(schema: S): Format<InferInput<S>, InferOutput<S>> {
  if (!isStandardSchema(schema)) {
    throw new TypeError(
      'json: expected a schema implementing Standard Schema v1 (zod 3.24 or later, Valibot, ArkType)',
    );
  }
  return {
    kind: 'json',
    needsRegistry: false,
    bind: (context) =>
      Promise.resolve(
        new JsonSerde<InferInput<S>, InferOutput<S>>(
          schema,
          `${context.role} of topic "${context.topic}"`,
        ),
      ),
  };
}

class JsonSerde<In, Out> implements Serde<In, Out> {
  constructor(
    private readonly schema: StandardSchemaV1,
    private readonly what: string,
  ) {}

  /** Validates synchronously: a record is encoded and decoded inside a synchronous step. */
  private validate(value: unknown): StandardSchemaResult<unknown> {
    const result = this.schema['~standard'].validate(value);
    if (result instanceof Promise) {
      // Nothing to await it with; keep the rejection from going unhandled.
      result.catch(() => undefined);
      throw new SerdesError(
        'value-mismatch',
        `${this.what}: its schema validates asynchronously (an async refinement or transform); json() needs a synchronous schema`,
      );
    }
    return result;
  }

  encode(value: In): Buffer {
    const checked = this.validate(value);
    if (checked.issues) {
      throw new SerdesError(
        'value-mismatch',
        `${this.what} does not match its schema: ${describeIssues(checked.issues, value)}`,
        { cause: checked.issues },
      );
    }
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (err) {
      throw new SerdesError(
        'value-mismatch',
        `${this.what} cannot be written as JSON: ${(err as Error).message}`,
        { cause: err },
      );
    }
    if (text === undefined) {
      throw new SerdesError(
        'value-mismatch',
        `${this.what}: ${shortValue(value)} has no JSON form`,
      );
    }
    return Buffer.from(text);
  }

  prepare(): undefined {
    return undefined;
  }

  decode(bytes: Buffer | null): Out {
    if (bytes === null) {
      throw new SerdesError('missing-value', `${this.what}: no bytes (a null record)`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      // V8 says where: "Unexpected token } in JSON at position 12" or similar.
      throw new SerdesError(
        'body-mismatch',
        `${this.what}: the ${bytes.length} bytes are not JSON: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const checked = this.validate(parsed);
    if (checked.issues) {
      throw new SerdesError(
        'body-mismatch',
        `${this.what} does not match its schema: ${describeIssues(checked.issues, parsed)}`,
        { cause: checked.issues },
      );
    }
    return checked.value as Out;
  }
}

function describeIssues(issues: readonly StandardSchemaIssue[], value: unknown): string {
  const shown = issues.slice(0, 5).map((issue) => {
    const path = issuePath(issue);
    return `${fieldPath(path)}: ${issue.message} (found ${shortValue(valueAt(value, path))})`;
  });
  return `${shown.join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let here = value;
  for (const key of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<PropertyKey, unknown>)[key];
  }
  return here;
}
