import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '@org/kafka-core';
import { BatchControl, isRebalanceError } from './batch-control.js';

const rebalancing = Object.assign(new Error('rebalance'), { type: 'REBALANCE_IN_PROGRESS' });

describe('BatchControl', () => {
  afterEach(() => vi.useRealTimers());

  it('heartbeats every interval until closed', async () => {
    vi.useFakeTimers();
    const beats = vi.fn(() => Promise.resolve());
    const ctl = new BatchControl(beats, 100, new AbortController().signal, silentLogger);
    await vi.advanceTimersByTimeAsync(350);
    expect(beats).toHaveBeenCalledTimes(3);
    ctl.close();
    await vi.advanceTimersByTimeAsync(500);
    expect(beats).toHaveBeenCalledTimes(3);
  });

  it('a zero wait yields to the event loop: a loop of them lets a timer run', async () => {
    const ctl = new BatchControl(
      () => Promise.resolve(),
      60_000,
      new AbortController().signal,
      silentLogger,
    );
    let fired = false;
    setTimeout(() => (fired = true), 1);
    // Spins for ever if sleep(0) resolved without yielding to timers.
    while (!fired) expect(await ctl.sleep(0)).toBe(true);
    ctl.close();
  });

  it('sleeps the whole delay when nothing happens', async () => {
    vi.useFakeTimers();
    const ctl = new BatchControl(
      () => Promise.resolve(),
      100,
      new AbortController().signal,
      silentLogger,
    );
    const slept = ctl.sleep(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await slept).toBe(true);
    ctl.close();
  });

  it('a stop cuts a sleep short and ends the batch', async () => {
    vi.useFakeTimers();
    const stop = new AbortController();
    const ctl = new BatchControl(() => Promise.resolve(), 100, stop.signal, silentLogger);
    const slept = ctl.sleep(60_000);
    await vi.advanceTimersByTimeAsync(10);
    stop.abort();
    expect(await slept).toBe(false);
    expect(ctl.ending).toBe(true);
    expect(await ctl.sleep(5)).toBe(false);
    ctl.close();
  });

  it('a heartbeat that reports a rebalance cuts a sleep short and keeps the error', async () => {
    vi.useFakeTimers();
    const ctl = new BatchControl(
      () => Promise.reject(rebalancing),
      100,
      new AbortController().signal,
      silentLogger,
    );
    const slept = ctl.sleep(60_000);
    await vi.advanceTimersByTimeAsync(100);
    expect(await slept).toBe(false);
    expect(ctl.rebalance).toBe(rebalancing);
    ctl.close();
  });

  it('other heartbeat failures do not end the batch', async () => {
    vi.useFakeTimers();
    const ctl = new BatchControl(
      () => Promise.reject(new Error('broker gone')),
      100,
      new AbortController().signal,
      silentLogger,
    );
    await vi.advanceTimersByTimeAsync(300);
    expect(ctl.ending).toBe(false);
    ctl.close();
  });

  it('recognises kafkajs rebalance errors by type', () => {
    expect(isRebalanceError(rebalancing)).toBe(true);
    expect(isRebalanceError(Object.assign(new Error(), { type: 'ILLEGAL_GENERATION' }))).toBe(true);
    expect(isRebalanceError(new Error('x'))).toBe(false);
    expect(isRebalanceError(null)).toBe(false);
  });
});
