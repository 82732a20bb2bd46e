import { readFileSync } from 'node:fs';
import type { Sample } from './round-stats.js';

/**
 * What one run did. A run may measure its own window (a consumer from its first record to
 * its last, leaving out the group join) and say so with `wallMs` and `cpuMs`.
 */
export interface RunResult {
  readonly records: number;
  readonly bytes: number;
  readonly window?: { readonly wallMs: number; readonly cpuMs: number | undefined };
}

/** Runs `work` once and measures wall time and this process's CPU time. */
export async function measure(work: () => Promise<RunResult> | RunResult): Promise<Sample> {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const { records, bytes, window } = await work();
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  return window === undefined
    ? { records, bytes, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }
    : { records, bytes, wallMs: window.wallMs, cpuMs: window.cpuMs };
}

/**
 * CPU time (ms) of this process's children that have exited and been waited for, from
 * /proc/self/stat (cutime + cstime, in clock ticks of 10 ms); undefined where there is no
 * /proc. Read before and after a child tool's run, it gives that tool's CPU.
 */
export function childrenCpuMs(stat: string | undefined = readSelfStat()): number | undefined {
  if (stat === undefined) return undefined;
  // Fields after the command name (which may hold spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  if (!Number.isFinite(cutime) || !Number.isFinite(cstime)) return undefined;
  return (cutime + cstime) * 10;
}

function readSelfStat(): string | undefined {
  try {
    return readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
}

/** Starts a measuring window now; `close()` gives its wall time and this process's CPU. */
export function openWindow(): { close(): { wallMs: number; cpuMs: number } } {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  return {
    close: () => {
      const cpu = process.cpuUsage(cpuBefore);
      return {
        wallMs: Number(process.hrtime.bigint() - started) / 1e6,
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
    },
  };
}

export interface Contender {
  readonly name: string;
  run(): Promise<RunResult> | RunResult;
}

/**
 * The order of the contenders in round `round`: a balanced (Williams) design, so that over
 * `count` rounds (2 x `count` for an odd count) each contender runs right after each other
 * one equally often. A plain rotation would not do: it keeps neighbours, so one contender
 * would always run right after a heavy one and pay for its after-effects.
 */
export function roundOrder(count: number, round: number): number[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`count must be >= 1, got ${count}`);
  // First row: 0, n-1, 1, n-2, 2, ...; row r adds r to each (mod n).
  const first: number[] = [];
  for (let i = 0, low = 0, high = count - 1; i < count; i++) {
    first.push(i % 2 === 0 ? low++ : high--);
  }
  const shift = round % count;
  const row = first.map((v) => (v + shift) % count);
  return count % 2 === 1 && Math.floor(round / count) % 2 === 1 ? row.reverse() : row;
}

/** Rounds for one whole balanced cycle of `count` contenders (see `roundOrder`). */
export function balancedCycle(count: number): number {
  return count % 2 === 0 ? count : 2 * count;
}

/**
 * Runs every contender `warmup` times, then at least `rounds` rounds (rounded up to whole
 * balanced cycles) in which each runs once, in the order of `roundOrder`, with `settleMs`
 * of quiet after each run so the cluster has finished with one client before the next is
 * timed.
 */
export async function alternate(
  contenders: readonly Contender[],
  options: {
    warmup: number;
    rounds: number;
    settleMs?: number;
    onRound?: (round: number, name: string, s: Sample) => void;
  },
): Promise<Map<string, Sample[]>> {
  const settle = () =>
    options.settleMs ? new Promise((resolve) => setTimeout(resolve, options.settleMs)) : undefined;
  const samples = new Map<string, Sample[]>(contenders.map((c) => [c.name, []]));
  for (let w = 0; w < options.warmup; w++) {
    for (const c of contenders) {
      await c.run();
      await settle();
    }
  }
  const cycle = balancedCycle(contenders.length);
  const rounds = Math.ceil(options.rounds / cycle) * cycle;
  for (let round = 0; round < rounds; round++) {
    for (const k of roundOrder(contenders.length, round)) {
      const c = contenders[k]!;
      const sample = await measure(() => c.run());
      samples.get(c.name)!.push(sample);
      options.onRound?.(round, c.name, sample);
      await settle();
    }
  }
  return samples;
}
