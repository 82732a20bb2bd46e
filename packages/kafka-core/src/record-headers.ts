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

/**
 * The header carrying a record's stable event id (a UUID): set by the outbox relay, read by
 * the consumer's de-duplication. A re-sent record carries the same id as the first copy.
 */
export const eventIdHeader = 'x-event-id';
