import { metrics, type Attributes, type BatchObservableCallback } from '@opentelemetry/api';
import { attr, messagingSystem } from '@org/kafka-core';
import type { GroupLagReport } from './types.js';
import type { PartitionStatus } from './partition-status.js';

const scope = '@org/kafka-lag-monitor';

/** The numbers the status gauge reports; higher is worse. */
export const statusCodes: Record<PartitionStatus, number> = {
  OK: 0,
  WARN: 1,
  REWIND: 2,
  STALL: 3,
  STOP: 4,
};

/**
 * Registers the lag gauges, read from `reports` at each collection, and returns a function
 * that removes them. Names: the semantic conventions define no consumer-lag metric, so
 * these follow their `messaging.kafka.*` namespace and units.
 */
export function lagGauges(reports: () => readonly GroupLagReport[]): () => void {
  const meter = metrics.getMeter(scope);
  const lag = meter.createObservableGauge('messaging.kafka.consumer.lag', {
    description: 'Records between the log end and the group committed offset, per partition',
    unit: '{message}',
  });
  const lagSeconds = meter.createObservableGauge('messaging.kafka.consumer.lag_seconds', {
    description: 'How long ago the log end was at the group committed offset, per partition',
    unit: 's',
  });
  const status = meter.createObservableGauge('messaging.kafka.consumer.lag_status', {
    description:
      'Burrow-style status: 0 OK, 1 WARN, 2 REWIND, 3 STALL, 4 STOP (per partition and group)',
    unit: '1',
  });
  const callback: BatchObservableCallback = (result) => {
    for (const report of reports()) {
      const group: Attributes = {
        [attr.system]: messagingSystem,
        [attr.consumerGroup]: report.group,
      };
      result.observe(status, statusCodes[report.status], group);
      for (const p of report.partitions) {
        const at: Attributes = {
          ...group,
          [attr.destinationName]: p.topic,
          [attr.partitionId]: String(p.partition),
        };
        if (p.lag !== null) result.observe(lag, p.lag, at);
        if (p.lagSeconds !== null) result.observe(lagSeconds, p.lagSeconds, at);
        if (p.status !== 'NO_COMMIT') result.observe(status, statusCodes[p.status], at);
      }
    }
  };
  meter.addBatchObservableCallback(callback, [lag, lagSeconds, status]);
  return () => meter.removeBatchObservableCallback(callback, [lag, lagSeconds, status]);
}
