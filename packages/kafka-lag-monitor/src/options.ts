import { connectionOptionsShape } from '@org/kafka-core';
import { z } from 'zod';

/** The monitor's defaults, one object: the schema below fills options in from it. */
export const lagMonitorDefaults = {
  intervalMs: 5_000,
  window: 10,
  allowedLag: 0,
  tableCapacity: 64,
} as const satisfies Record<string, number>;

/** The monitor's options, compiled once at load; `LagMonitor` parses its input with it. */
export const lagMonitorSchema = z
  .strictObject({
    ...connectionOptionsShape,
    /** Groups to watch by name. */
    groups: z.array(z.string().min(1, 'must not be empty')).optional(),
    /** Or every group whose id matches (listed again each round). */
    groupPattern: z.union([z.instanceof(RegExp), z.string().min(1)]).optional(),
    intervalMs: z.number().int().min(100).max(3_600_000).default(lagMonitorDefaults.intervalMs),
    window: z.number().int().min(2).max(1_000).default(lagMonitorDefaults.window),
    allowedLag: z.number().int().min(0).default(lagMonitorDefaults.allowedLag),
    /** Points kept per partition for the time lag. */
    tableCapacity: z.number().int().min(3).max(10_000).default(lagMonitorDefaults.tableCapacity),
    /** Register OpenTelemetry gauges (through @opentelemetry/api). */
    metrics: z.boolean().default(true),
  })
  .superRefine((o, ctx) => {
    if ((o.groups === undefined) === (o.groupPattern === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['groups'],
        message: 'give exactly one of groups and groupPattern',
      });
    }
  });

/** What `new LagMonitor(...)` takes. */
export type LagMonitorOptions = z.input<typeof lagMonitorSchema>;

/** The options after validation, defaults filled in. */
export type ResolvedLagMonitorOptions = z.output<typeof lagMonitorSchema>;
