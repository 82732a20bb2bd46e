/**
 * A field path as a developer writes it: `lines[2].quantity`, `attributes["gift wrap"]`.
 * Digit-only segments are array indices (avsc and zod both report indices that way).
 */
export function fieldPath(segments: readonly (string | number | symbol)[]): string {
  if (segments.length === 0) return '(the value itself)';
  let out = '';
  for (const segment of segments) {
    const text = String(segment);
    if (typeof segment === 'number' || /^\d+$/.test(text)) out += `[${text}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(text)) out += out === '' ? text : `.${text}`;
    else out += `[${JSON.stringify(text)}]`;
  }
  return out;
}

/** A value for an error message: short, and never a whole payload. */
export function shortValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Buffer.isBuffer(value)) return `a ${value.length}-byte Buffer`;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // A cycle or a BigInt: say what kind of value it was.
    text = undefined;
  }
  text ??=
    typeof value === 'bigint'
      ? `${value}`
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
