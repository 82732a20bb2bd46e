import { describe, expect, it } from 'vitest';
import { benchTable, renderTable } from './bench-table.js';

const sample = (wallMs: number) => ({ records: 1000, bytes: 1_000_000, wallMs, cpuMs: 20 });

describe('benchTable', () => {
  it('compares every contender with the baseline median and renders markdown', () => {
    const table = benchTable(
      'Producer',
      'keyed, 12 partitions',
      'kafkajs',
      new Map([
        ['kafkajs', [sample(100), sample(110), sample(90)]],
        ['ours', [sample(105), sample(104), sample(200)]],
      ]),
    );
    expect(table.rows.map((r) => r.name)).toEqual(['kafkajs', 'ours']);
    expect(table.rows[0]!.ratioToBaseline).toBe(1);
    expect(table.rows[1]!.ratioToBaseline).toBeCloseTo(9523.8 / 10_000, 3);
    const md = renderTable(table);
    expect(md).toContain(
      '| contender | records/s (median) | min - max | MB/s | CPU µs/record | vs kafkajs |',
    );
    expect(md).toContain('| kafkajs | 10,000 | 9,091 - 11,111 | 10.00 | 20.00 | 1.00x |');
    expect(md).toContain('| ours | 9,524 | 5,000 - 9,615 | 9.52 | 20.00 | 0.95x |');
  });

  it('refuses a baseline without samples', () => {
    expect(() => benchTable('t', 's', 'missing', new Map([['a', [sample(1)]]]))).toThrow(
      'baseline "missing" has no samples',
    );
  });
});
