import { describe, expect, it } from 'vitest';
import type { PartitionStatus, Severity } from './partition-status.js';
import { sampleReport } from './report-fixture.js';
import { statusAlert } from './status-alert.js';

const report = (status: PartitionStatus) =>
  sampleReport({
    status,
    severity: status === 'OK' ? 'OK' : status === 'WARN' ? 'WARN' : 'ERR',
    totalLag: 1234,
  });
const said = (previous: PartitionStatus | undefined, now: PartitionStatus, min: Severity) =>
  statusAlert('eu-1', previous, report(now), min) !== undefined;

describe('status alerts', () => {
  it('says a change of status with the numbers, and carries the report', () => {
    const alert = statusAlert('eu-1', 'OK', report('STALL'), 'WARN');
    expect(alert).toMatchObject({
      text: '[eu-1] orders-fulfilment: OK → STALL (ERR), 1,234 records, 12.5 s behind, 1 members, state Stable',
      cluster: 'eu-1',
      group: 'orders-fulfilment',
      status: 'STALL',
      severity: 'ERR',
      previousStatus: 'OK',
      recovered: false,
      at: '2023-11-14T22:13:20.000Z',
    });
    expect(alert?.report.partitions).toHaveLength(3);
    expect(statusAlert('eu-1', 'STOP', report('OK'), 'ERR')?.text).toBe(
      '[eu-1] orders-fulfilment recovered: STOP → OK (OK), 1,234 records, 12.5 s behind',
    );
  });

  it('every transition, against every threshold', () => {
    const statuses: (PartitionStatus | undefined)[] = [
      undefined,
      'OK',
      'WARN',
      'REWIND',
      'STALL',
      'STOP',
    ];
    const rank = { OK: 0, WARN: 1, ERR: 2 } as const;
    const sev = (s: PartitionStatus | undefined) =>
      s === undefined || s === 'OK' ? 'OK' : s === 'WARN' ? 'WARN' : 'ERR';
    for (const min of ['OK', 'WARN', 'ERR'] as const) {
      for (const previous of statuses) {
        for (const now of statuses.slice(1) as PartitionStatus[]) {
          const expected =
            previous !== now &&
            !(previous === undefined && now === 'OK') &&
            Math.max(rank[sev(previous)], rank[sev(now)]) >= rank[min];
          expect([min, previous, now, said(previous, now, min)]).toEqual([
            min,
            previous,
            now,
            expected,
          ]);
        }
      }
    }
  });

  it('leaves out what does not reach the threshold, and says a group first seen in trouble', () => {
    expect(said('OK', 'WARN', 'ERR')).toBe(false);
    expect(said('WARN', 'OK', 'ERR')).toBe(false);
    expect(said('WARN', 'STALL', 'ERR')).toBe(true);
    expect(said('STALL', 'STOP', 'ERR')).toBe(true);
    expect(said(undefined, 'STOP', 'ERR')).toBe(true);
    expect(said(undefined, 'OK', 'OK')).toBe(false);
    expect(said('STOP', 'STOP', 'OK')).toBe(false);
  });
});
