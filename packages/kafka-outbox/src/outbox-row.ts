import { randomUUID } from 'node:crypto';
import { eventIdHeader, KafkaSdkError, type RecordHeaders } from '@org/kafka-core';
import { shardOfKey } from './table-layout.js';

/** One record to publish through the outbox; the same shape the producer's `send` takes. */
export interface OutboxMessage {
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<RecordHeaders>;
  /** Forces a partition, bypassing the producer's partitioner. */
  readonly partition?: number;
}

/** A topic and its messages, as `producer.send` takes them (serdes' EncodedRecord fits). */
export interface OutboxRecord {
  readonly topic: string;
  readonly messages: readonly OutboxMessage[];
}

/** A row as `enqueue` writes it, before the database gives it an id. */
export interface NewOutboxRow {
  readonly eventId: string;
  readonly shard: number;
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** `[name, base64 value]` pairs, in order; a header given as an array repeats its name. */
  readonly headers: readonly (readonly [string, string])[];
  readonly partition: number | null;
  /** The W3C trace context of the enqueueing transaction, or null when there is none. */
  readonly traceContext: Readonly<Record<string, string>> | null;
}

/** A committed row as the relay reads it. */
export interface OutboxRow extends NewOutboxRow {
  /** bigint as a string: ids exceed 2^53 in a long-lived table. */
  readonly id: string;
  readonly createdAt: Date;
}

// Kafka's own rule for topic names (kafka.common.internals.Topic).
const legalTopic = /^[a-zA-Z0-9._-]{1,249}$/;

function invalid(path: string, message: string): KafkaSdkError {
  return new KafkaSdkError('OUTBOX_RECORD_INVALID', `enqueue: ${path}: ${message}`);
}

function bytes(value: unknown, path: string, nullable: boolean): Buffer | null {
  if (value === null || value === undefined) {
    if (nullable) return null;
    throw invalid(path, 'is required');
  }
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (Buffer.isBuffer(value)) return value;
  throw invalid(path, `expected a string, a Buffer or null, got ${typeof value}`);
}

function headerPairs(headers: unknown, path: string): [string, string][] {
  if (headers === undefined || headers === null) return [];
  if (typeof headers !== 'object' || Array.isArray(headers)) {
    throw invalid(path, 'expected an object of header names to values');
  }
  const pairs: [string, string][] = [];
  for (const [name, raw] of Object.entries(headers as Record<string, unknown>)) {
    if (name === eventIdHeader) {
      throw invalid(
        `${path}.${name}`,
        "is set by the outbox relay (the row's event id); do not set it",
      );
    }
    if (raw === undefined) continue;
    const values = Array.isArray(raw) ? (raw as unknown[]) : [raw];
    values.forEach((v, i) => {
      const at = Array.isArray(raw) ? `${path}.${name}[${i}]` : `${path}.${name}`;
      const b = bytes(v, at, false) as Buffer;
      pairs.push([name, b.toString('base64')]);
    });
  }
  return pairs;
}

/**
 * The rows `enqueue` writes for `record`, one per message, each with a new event id. Throws
 * OUTBOX_RECORD_INVALID naming the field at fault (`messages[2].headers.x`); nothing is
 * written when any message is bad.
 */
export function newRows(
  record: OutboxRecord,
  traceContext: Readonly<Record<string, string>> | null,
  newEventId: () => string = randomUUID,
): NewOutboxRow[] {
  if (typeof record !== 'object' || record === null)
    throw invalid('record', 'expected { topic, messages }');
  const { topic, messages } = record as { topic?: unknown; messages?: unknown };
  if (typeof topic !== 'string' || !legalTopic.test(topic)) {
    throw invalid(
      'topic',
      `${JSON.stringify(topic)} is not a legal Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)`,
    );
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalid('messages', 'expected a non-empty array');
  }
  return (messages as unknown[]).map((m, i) => {
    const at = `messages[${i}]`;
    if (typeof m !== 'object' || m === null) throw invalid(at, 'expected { key, value, headers }');
    const message = m as Record<string, unknown>;
    const key = bytes(message.key, `${at}.key`, true);
    if (!('value' in message)) throw invalid(`${at}.value`, 'is required (null for a tombstone)');
    const value = bytes(message.value, `${at}.value`, true);
    const partition = message.partition;
    if (partition !== undefined && (!Number.isInteger(partition) || (partition as number) < 0)) {
      throw invalid(
        `${at}.partition`,
        `expected a non-negative integer, got ${JSON.stringify(partition)}`,
      );
    }
    const eventId = newEventId();
    return {
      eventId,
      // A key's rows share a shard (that is what orders them); a keyless row has no order to
      // keep, so its event id spreads it.
      shard: shardOfKey(key ?? eventId),
      topic,
      key,
      value,
      headers: headerPairs(message.headers, `${at}.headers`),
      partition: (partition as number | undefined) ?? null,
      traceContext,
    };
  });
}

/** The message the relay sends for `row`: its headers, then the event id header. */
export function messageOfRow(row: OutboxRow): {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeaders;
  partition?: number;
} {
  const headers: RecordHeaders = {};
  for (const [name, base64] of row.headers) {
    const value = Buffer.from(base64, 'base64');
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else headers[name] = [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  headers[eventIdHeader] = row.eventId;
  return {
    key: row.key,
    value: row.value,
    headers,
    ...(row.partition === null ? {} : { partition: row.partition }),
  };
}
