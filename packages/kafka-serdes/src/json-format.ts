import type { ZodType, input, output } from 'zod';
import { fieldPath, shortValue } from './field-path.js';
import type { Format, Serde } from './serde.js';
import { SerdesError } from './serdes-error.js';

/**
 * JSON text validated by a zod schema, for topics that do not use a registry. The producer's
 * value is validated before it is sent and written as given; the consumer's is parsed and
 * validated, and gets the schema's output (defaults and transforms applied).
 */
export function json<S extends ZodType>(schema: S): Format<input<S>, output<S>> {
  if (typeof (schema as { safeParse?: unknown } | undefined)?.safeParse !== 'function') {
    throw new TypeError('json: expected a zod schema');
  }
  return {
    kind: 'json',
    needsRegistry: false,
    bind: (context) =>
      Promise.resolve(
        new JsonSerde<input<S>, output<S>>(schema, `${context.role} of topic "${context.topic}"`),
      ),
  };
}

class JsonSerde<In, Out> implements Serde<In, Out> {
  constructor(
    private readonly schema: ZodType,
    private readonly what: string,
  ) {}

  encode(value: In): Buffer {
    const checked = this.schema.safeParse(value);
    if (!checked.success) {
      throw new SerdesError(
        'value-mismatch',
        `${this.what} does not match its schema: ${describeIssues(checked.error.issues, value)}`,
        { cause: checked.error },
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
    const checked = this.schema.safeParse(parsed);
    if (!checked.success) {
      throw new SerdesError(
        'body-mismatch',
        `${this.what} does not match its schema: ${describeIssues(checked.error.issues, parsed)}`,
        { cause: checked.error },
      );
    }
    return checked.data as Out;
  }
}

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

function describeIssues(issues: readonly Issue[], value: unknown): string {
  const shown = issues.slice(0, 5).map((issue) => {
    const found = valueAt(value, issue.path);
    return `${fieldPath(issue.path)}: ${issue.message} (found ${shortValue(found)})`;
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
