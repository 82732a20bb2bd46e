import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors.js';

function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`,
    )
    .join('');
}

/** Turns zod issues into path + message pairs; never includes the rejected value. */
export function configIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return {
        path: pathOf(issue.path),
        message: `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
      };
    }
    return { path: pathOf(issue.path), message: issue.message };
  });
}

/** Validates `input` once, at construction; throws a ConfigError naming every bad path. */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ConfigError(what, configIssues(result.error));
  return result.data;
}
