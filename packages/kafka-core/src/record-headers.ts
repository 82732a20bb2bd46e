/** Kafka record headers as kafkajs carries them. */
export type RecordHeaders = Record<string, string | Buffer | (string | Buffer)[] | undefined>;

/**
 * The text of header `name`, or undefined when absent. A header sent twice arrives as an
 * array; the first value wins (as W3C asks for `traceparent`).
 */
export function headerText(
  headers: Readonly<RecordHeaders> | undefined,
  name: string,
): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
