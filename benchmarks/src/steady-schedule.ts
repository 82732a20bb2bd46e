import { setTimeout as sleep } from 'node:timers/promises';

/** Time as the schedule reads it; the benchmarks use the real one, the tests a fake. */
export interface ScheduleClock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const realClock: ScheduleClock = { now: () => performance.now(), sleep: (ms) => sleep(ms) };

/**
 * Issues `count` events at `rate` per second on a fixed schedule: event i is due at
 * start + i / rate, whatever the earlier events' answers (a steady load, not a ping), and all
 * are awaited at the end. `late` counts events issued more than `lateMs` after they were due:
 * the caller could not keep up with the rate, which a latency table must say, not hide.
 */
export async function onSchedule(
  count: number,
  rate: number,
  event: (i: number) => Promise<void> | void,
  { clock = realClock, lateMs = 1_000 }: { clock?: ScheduleClock; lateMs?: number } = {},
): Promise<{ late: number }> {
  if (!(rate > 0)) throw new RangeError(`rate must be above 0, got ${rate}`);
  const start = clock.now();
  const pending: Promise<void>[] = [];
  let late = 0;
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - clock.now();
    if (wait > 0) await clock.sleep(wait);
    else if (wait < -lateMs) late++;
    pending.push(Promise.resolve(event(i)));
  }
  await Promise.all(pending);
  return { late };
}
