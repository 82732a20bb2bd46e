import { describe, expect, it } from 'vitest';
import { renderLagTable } from './lag-table.js';
import { sampleReport } from './report-fixture.js';

describe('renderLagTable', () => {
  it('prints the summary and one aligned row per partition, dashes for unknowns', () => {
    const lines = renderLagTable(sampleReport()).split('\n');
    expect(lines[0]).toBe(
      'GROUP orders-fulfilment  status WARN  state Stable  members 1  total lag 120  max lag 12.5 s',
    );
    expect(lines[1]).toBe(
      'TOPIC   PARTITION  LOG-END  COMMITTED  LAG  LAG-SECONDS  STATUS     OWNER',
    );
    expect(lines[2]).toBe(
      'orders          0      500        480   20          2.0  OK         fulfilment-1',
    );
    expect(lines[4]).toBe('orders          2        7          -    -            -  NO_COMMIT  -');
    expect(lines).toHaveLength(5);
  });

  it("adds Burrow's severity only where it differs from the status", () => {
    const summaryOf = (status: 'OK' | 'STOP' | 'REWIND', severity: 'OK' | 'ERR') =>
      renderLagTable(sampleReport({ status, severity })).split('\n')[0]!;
    expect(summaryOf('OK', 'OK')).toContain('status OK  state');
    expect(summaryOf('STOP', 'ERR')).toContain('status STOP (ERR)  state');
    expect(summaryOf('REWIND', 'ERR')).toContain('status REWIND (ERR)  state');
  });

  it('says when the window is not full yet', () => {
    expect(
      renderLagTable(sampleReport({ complete: 0.3, maxLagSeconds: null })).split('\n')[0],
    ).toBe(
      'GROUP orders-fulfilment  status WARN (window 30% full: not judged yet)  state Stable  members 1  total lag 120',
    );
  });
});
