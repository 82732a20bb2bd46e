import type { GroupLagReport } from './lag-monitor.js';

/** A report as a sampling round would make it, for the tests of what renders reports. */
export function sampleReport(overrides: Partial<GroupLagReport> = {}): GroupLagReport {
  return {
    group: 'orders-fulfilment',
    at: 1_700_000_000_000,
    state: 'Stable',
    members: 1,
    status: 'WARN',
    severity: 'WARN',
    complete: 1,
    totalLag: 120,
    maxLag: { topic: 'orders', partition: 1, lag: 100 },
    maxLagSeconds: 12.5,
    partitions: [
      {
        topic: 'orders',
        partition: 0,
        logEnd: '500',
        committed: '480',
        lag: 20,
        lagSeconds: 2,
        status: 'OK',
        complete: 1,
        owner: 'fulfilment-1',
      },
      {
        topic: 'orders',
        partition: 1,
        logEnd: '900',
        committed: '800',
        lag: 100,
        lagSeconds: 12.5,
        status: 'WARN',
        complete: 1,
        owner: 'fulfilment-1',
      },
      {
        topic: 'orders',
        partition: 2,
        logEnd: '7',
        committed: null,
        lag: null,
        lagSeconds: null,
        status: 'NO_COMMIT',
        complete: 0,
        owner: null,
      },
    ],
    ...overrides,
  };
}
