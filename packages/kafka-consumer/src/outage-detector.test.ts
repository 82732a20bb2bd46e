import { describe, expect, it } from 'vitest';
import { OutageDetector } from './outage-detector.js';

const rules = { distinctKeys: 3, windowMs: 1_000, failureRatio: 0.9 };
const t0 = 1_700_000_000_000;

describe('OutageDetector', () => {
  it('says outage once failures span distinctKeys keys with nothing succeeding', () => {
    const d = new OutageDetector(rules);
    expect(d.failed(t0, 'a')).toBeUndefined();
    expect(d.failed(t0 + 10, 'b')).toBeUndefined();
    expect(d.failed(t0 + 20, 'c')).toEqual({
      distinctKeys: 3,
      failures: 3,
      calls: 3,
      windowMs: 1_000,
    });
  });

  it('does not count one key many times: a single bad record never trips it', () => {
    const d = new OutageDetector(rules);
    for (let i = 0; i < 1_000; i++) expect(d.failed(t0 + i, 'poison')).toBeUndefined();
    expect(d.failed(t0 + 999, 'b')).toBeUndefined();
    expect(d.failed(t0 + 999, 'c')).toBeDefined();
  });

  it('does not trip while enough calls succeed: failures below failureRatio are bad records', () => {
    const d = new OutageDetector(rules);
    // 8 of 10 calls fail across 8 keys: 0.8 < 0.9.
    d.succeeded(t0, 2);
    for (let i = 0; i < 7; i++) expect(d.failed(t0 + i, `k${i}`)).toBeUndefined();
    expect(d.failed(t0 + 7, 'k7')).toBeUndefined();
    // More failures: 17 of 19 calls (0.89) still not; 18 of 20 (0.9) trips.
    for (let i = 8; i < 17; i++) expect(d.failed(t0 + 8, `k${i}`)).toBeUndefined();
    expect(d.failed(t0 + 9, 'k17')).toMatchObject({ failures: 18, calls: 20 });
  });

  it('forgets failures older than the window', () => {
    const d = new OutageDetector(rules);
    d.failed(t0, 'a');
    d.failed(t0 + 1, 'b');
    // A window later, a and b have slid out: c alone is one key.
    expect(d.failed(t0 + 1_100, 'c')).toBeUndefined();
    expect(d.failed(t0 + 1_150, 'd')).toBeUndefined();
    expect(d.failed(t0 + 1_200, 'e')).toMatchObject({ distinctKeys: 3, failures: 3 });
  });

  it('keeps failures within the window across bucket boundaries', () => {
    const d = new OutageDetector(rules);
    d.failed(t0 + 50, 'a');
    d.failed(t0 + 450, 'b');
    expect(d.failed(t0 + 850, 'c')).toMatchObject({ distinctKeys: 3 });
  });

  it('counts successes in the window they happened in, and lets them slide out too', () => {
    const d = new OutageDetector(rules);
    d.succeeded(t0, 100);
    d.failed(t0 + 10, 'a');
    d.failed(t0 + 20, 'b');
    expect(d.failed(t0 + 30, 'c')).toBeUndefined();
    // The successes slide out; the failures do too, so three fresh ones are needed.
    d.failed(t0 + 1_500, 'a');
    d.failed(t0 + 1_510, 'b');
    expect(d.failed(t0 + 1_520, 'c')).toMatchObject({ calls: 3 });
  });

  it('starts over after reset()', () => {
    const d = new OutageDetector(rules);
    d.failed(t0, 'a');
    d.failed(t0, 'b');
    d.reset();
    expect(d.failed(t0, 'c')).toBeUndefined();
  });

  it('keeps at most distinctKeys keys per bucket, whatever the failure rate', () => {
    const d = new OutageDetector({ ...rules, distinctKeys: 1_000, failureRatio: 1 });
    for (let i = 0; i < 999; i++) expect(d.failed(t0, `k${i}`)).toBeUndefined();
    expect(d.failed(t0, 'k999')).toMatchObject({ distinctKeys: 1_000 });
    // Beyond the threshold, more keys change nothing: the evidence still counts 1,000.
    expect(d.failed(t0, 'k1000')).toMatchObject({ distinctKeys: 1_000, failures: 1_001 });
  });

  it.each([
    [{ ...rules, distinctKeys: 0 }, 'distinctKeys'],
    [{ ...rules, distinctKeys: 1.5 }, 'distinctKeys'],
    [{ ...rules, windowMs: 0 }, 'windowMs'],
    [{ ...rules, failureRatio: 0 }, 'failureRatio'],
    [{ ...rules, failureRatio: 1.01 }, 'failureRatio'],
  ])('refuses bad rules, naming the field (%o)', (bad, field) => {
    expect(() => new OutageDetector(bad)).toThrow(field);
  });
});
