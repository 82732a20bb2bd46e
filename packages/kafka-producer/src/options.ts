import { z } from 'zod';
import {
  compressionNames,
  connectionOptionsShape,
  parseOptions,
  type CompressionName,
} from '@org/kafka-core';
import { javaCompatiblePartitioner } from './java-compatible-partitioner.js';
import type { Partitioner } from './partitioner.js';

/** The producer's defaults, in one place. */
export const producerDefaults = {
  acks: 'all',
  idempotent: true,
  compression: 'none',
  lingerMs: 5,
  maxBatchMessages: 1000,
  // Below the broker's default message.max.bytes (1 MiB + overhead) even when a whole
  // batch goes to one partition.
  maxBatchBytes: 900 * 1024,
  deliveryTimeoutMs: 120_000,
} as const satisfies {
  acks: 'all';
  idempotent: true;
  compression: CompressionName;
  lingerMs: number;
  maxBatchMessages: number;
  maxBatchBytes: number;
  deliveryTimeoutMs: number;
};

const unsafeSchema = z.strictObject({
  acks: z.union([z.literal(1), z.literal(0)]).optional(),
  idempotent: z.literal(false).optional(),
});

const producerOptionsSchema = z
  .strictObject({
    ...connectionOptionsShape,
    acks: z
      .union([z.literal('all'), z.literal(-1), z.literal(1), z.literal(0)])
      .default(producerDefaults.acks),
    idempotent: z.boolean().default(producerDefaults.idempotent),
    /** Named opt-outs of the safe defaults; each logs a warning once. */
    unsafe: unsafeSchema.optional(),
    compression: z.enum(compressionNames).default(producerDefaults.compression),
    partitioner: z
      .custom<Partitioner>(
        (v) => typeof v === 'function',
        'expected a function (args) => partition',
      )
      .optional(),
    lingerMs: z.number().int().min(0).max(1_000).default(producerDefaults.lingerMs),
    maxBatchMessages: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(producerDefaults.maxBatchMessages),
    maxBatchBytes: z
      .number()
      .int()
      .min(1_024)
      .max(64 * 1024 * 1024)
      .default(producerDefaults.maxBatchBytes),
    deliveryTimeoutMs: z
      .number()
      .int()
      .min(1_000)
      .max(3_600_000)
      .default(producerDefaults.deliveryTimeoutMs),
  })
  .superRefine((o, ctx) => {
    if ((o.acks === 1 || o.acks === 0) && o.unsafe?.acks !== o.acks) {
      ctx.addIssue({
        code: 'custom',
        path: ['acks'],
        message: `acks=${o.acks} acknowledges before the record is replicated and can lose it; set unsafe: { acks: ${o.acks} } to opt out on purpose`,
      });
    }
    if (!o.idempotent && o.unsafe?.idempotent !== false && o.unsafe?.acks === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['idempotent'],
        message:
          'idempotent=false lets retries write duplicates and reorder records; set unsafe: { idempotent: false } to opt out on purpose',
      });
    }
    if (
      o.unsafe?.acks !== undefined &&
      o.acks !== 'all' &&
      o.acks !== -1 &&
      o.acks !== o.unsafe.acks
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['unsafe', 'acks'],
        message: `contradicts acks=${o.acks}`,
      });
    }
  });

/** What callers write. */
export type ProducerOptions = z.input<typeof producerOptionsSchema>;

/** Options with every default applied and the opt-outs resolved. */
export interface ResolvedProducerOptions extends Omit<
  z.output<typeof producerOptionsSchema>,
  'acks' | 'partitioner'
> {
  /** -1 (all), 1 or 0, as the wire protocol says it. */
  readonly acks: -1 | 1 | 0;
  readonly idempotent: boolean;
  readonly partitioner: Partitioner;
  /** The opt-outs in effect, for the warning. */
  readonly optOuts: readonly string[];
}

/** Validates producer options once; refuses unsafe settings that were not opted out by name. */
export function resolveProducerOptions(input: ProducerOptions): ResolvedProducerOptions {
  const o = parseOptions(producerOptionsSchema, input, 'producer');
  const acks = o.unsafe?.acks ?? -1;
  // Idempotence needs acks=all (the broker refuses it otherwise), so a weaker acks opt-out
  // turns it off too; the warning says so.
  const idempotent = acks === -1 && o.unsafe?.idempotent !== false;
  const optOuts: string[] = [];
  if (acks !== -1) optOuts.push(`acks=${acks}`);
  if (!idempotent) optOuts.push('idempotence off');
  return {
    ...o,
    acks,
    idempotent,
    partitioner: o.partitioner ?? javaCompatiblePartitioner(),
    optOuts,
  };
}
