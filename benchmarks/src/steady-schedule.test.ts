import { describe, expect, it } from 'vitest';
import { onSchedule, type ScheduleClock } from './steady-schedule.js';

/** A clock that moves only when slept on, or when an event says it took time. */
function fakeClock(): ScheduleClock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.t += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

describe('onSchedule', () => {
  it('issues event i at i / rate, without waiting for earlier answers', async () => {
    const clock = fakeClock();
    const issuedAt: number[] = [];
    const answers: (() => void)[] = [];
    const done = onSchedule(
      5,
      100,
      (i) => {
        issuedAt[i] = clock.t;
        // No answer until every event was issued: the schedule must not wait on one.
        return new Promise<void>((resolve) => answers.push(resolve));
      },
      { clock },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(issuedAt).toEqual([0, 10, 20, 30, 40]);
    for (const answer of answers) answer();
    await expect(done).resolves.toEqual({ late: 0 });
  });

  it('counts the events issued more than lateMs after they were due', async () => {
    const clock = fakeClock();
    // Events 0 and 1 each take 1.5 s of the issuing loop (a blocked event loop, say).
    const result = await onSchedule(
      4,
      10,
      (i) => {
        if (i < 2) clock.t += 1_500;
      },
      { clock, lateMs: 1_000 },
    );
    // Due at 0, 100, 200, 300 ms; issued at 0, 1500, 3000, 3000 ms.
    expect(result).toEqual({ late: 3 });
  });

  it('refuses a rate that is not above zero', async () => {
    await expect(onSchedule(1, 0, () => undefined)).rejects.toThrow('rate must be above 0, got 0');
  });
});
