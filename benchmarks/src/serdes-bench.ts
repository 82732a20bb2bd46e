import confluentRegistry from '@kafkajs/confluent-schema-registry';
import { avro, defineTopic, json, type AvroSchema } from '@org/kafka-serdes';
import { z } from 'zod';
import { benchTable, type BenchTable } from './bench-table.js';
import { orderRecord, orderSchema, smallRecord, smallSchema } from './bench-records.js';
import { alternate, type Contender } from './measure.js';

const { SchemaRegistry, SchemaType, COMPATIBILITY } = confluentRegistry;

export interface SerdesBenchOptions {
  readonly registryUrl: string;
  readonly records?: number;
  readonly rounds?: number;
  readonly log?: (line: string) => void;
}

const zodSmall = z.object({ orderId: z.string(), cents: z.number().int(), vip: z.boolean() });

/**
 * Encode and decode cost per record, in process: our Avro serde against plain
 * @kafkajs/confluent-schema-registry (its encode/decode, awaited per record as a handler
 * would), its decode given a reader schema, and plain JSON. Both libraries fetch the schema
 * once before the rounds; what is measured is the per-record path.
 */
export async function benchSerdes(options: SerdesBenchOptions): Promise<BenchTable[]> {
  const count = options.records ?? 20_000;
  const rounds = options.rounds ?? 5;
  const tables: BenchTable[] = [];
  for (const [label, schema, make] of [
    ['small record (3 fields)', smallSchema, smallRecord],
    ['order record (12 fields, nested)', orderSchema, orderRecord],
  ] as const) {
    const values: unknown[] = Array.from({ length: count }, (_, i) => make(i));
    const topic = `bench-serdes-${label.split(' ')[0]}-${Date.now()}`;
    const ours = await defineTopic({
      name: topic,
      key: 'string',
      value: avro(schema as AvroSchema),
    }).bind({
      registry: { url: options.registryUrl },
      writerSchema: 'autoRegister',
    });
    const theirs = new SchemaRegistry({ host: options.registryUrl });
    const { id } = await theirs.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      // Apicurio reports NONE at subject level under its global rule; see the interop test.
      { subject: `${topic}-value`, compatibility: COMPATIBILITY.NONE },
    );
    const encoded = values.map((v) => ours.value.encode(v) as Buffer);
    // JSON has no bytes: a JSON producer would carry the decimal as text.
    const jsonValues = values.map(withoutBuffers);
    const jsonEncoded = jsonValues.map((v) => Buffer.from(JSON.stringify(v)));
    const size = (buffers: readonly Buffer[]) => buffers.reduce((n, b) => n + b.length, 0);
    const avroBytes = size(encoded);
    const jsonBytes = size(jsonEncoded);
    // Warm both libraries' schema caches: the per-record path is what is measured.
    await theirs.decode(encoded[0]!);
    await ours.decode({ key: Buffer.from('k'), value: encoded[0]! });
    const readerSample = Math.max(1, Math.floor(count / 50));

    const encoders: Contender[] = [
      {
        name: 'confluent-schema-registry encode',
        run: async () => {
          for (const v of values) await theirs.encode(id, v);
          return { records: count, bytes: avroBytes };
        },
      },
      {
        name: 'ours (Avro) encode',
        run: () => {
          for (const v of values) ours.value.encode(v);
          return { records: count, bytes: avroBytes };
        },
      },
      {
        name: 'JSON.stringify',
        run: () => {
          for (const v of jsonValues) Buffer.from(JSON.stringify(v));
          return { records: count, bytes: jsonBytes };
        },
      },
    ];
    const smallJson =
      schema === smallSchema
        ? await defineTopic({ name: topic, key: 'string', value: json(zodSmall) }).bind()
        : undefined;
    if (smallJson !== undefined) {
      encoders.push({
        name: 'ours (JSON + zod) encode',
        run: () => {
          for (const v of jsonValues) smallJson.value.encode(v as z.input<typeof zodSmall>);
          return { records: count, bytes: jsonBytes };
        },
      });
    }
    const decoders: Contender[] = [
      {
        name: 'confluent-schema-registry decode',
        run: async () => {
          for (const b of encoded) await theirs.decode(b);
          return { records: count, bytes: avroBytes };
        },
      },
      {
        name: 'ours (Avro) decode',
        run: () => {
          for (const b of encoded) ours.value.decode(b);
          return { records: count, bytes: avroBytes };
        },
      },
      {
        name: 'JSON.parse',
        run: () => {
          for (const b of jsonEncoded) JSON.parse(b.toString('utf8'));
          return { records: count, bytes: jsonBytes };
        },
      },
      // The trap the issue names: a raw reader schema rebuilt on every call (fewer records).
      {
        name: 'confluent-schema-registry decode with readerSchema',
        run: async () => {
          for (let i = 0; i < readerSample; i++) {
            await theirs.decode(encoded[i]!, {
              [SchemaType.AVRO]: { readerSchema: schema as never },
            });
          }
          return { records: readerSample, bytes: size(encoded.slice(0, readerSample)) };
        },
      },
    ];
    if (smallJson !== undefined) {
      decoders.push({
        name: 'ours (JSON + zod) decode',
        run: () => {
          for (const b of jsonEncoded) smallJson.value.decode(b);
          return { records: count, bytes: jsonBytes };
        },
      });
    }
    const setting = `${count.toLocaleString('en-US')} distinct records per round (${(avroBytes / count).toFixed(0)} bytes Avro, ${(jsonBytes / count).toFixed(0)} bytes JSON on average), alternating rounds in a balanced order (each contender right after each other equally often) after one warm-up; one process, no network after the first schema fetch.`;
    options.log?.(`serdes: ${label}: encode`);
    tables.push(
      benchTable(
        `Serdes encode, ${label}`,
        setting,
        'confluent-schema-registry encode',
        await alternate(encoders, { warmup: 1, rounds }),
      ),
    );
    options.log?.(`serdes: ${label}: decode`);
    tables.push(
      benchTable(
        `Serdes decode, ${label}`,
        setting,
        'confluent-schema-registry decode',
        await alternate(decoders, { warmup: 1, rounds }),
      ),
    );
  }
  return tables;
}

/** The record with each Buffer field as base64 text. */
function withoutBuffers(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('base64') : v]),
  );
}
