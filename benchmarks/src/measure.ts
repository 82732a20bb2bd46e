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
 * Runs every contender `warmup` times, then `rounds` rounds in which each runs once, the
 * order rotating each round so no contender always runs first (or right after a heavy one).
 */
export async function alternate(
  contenders: readonly Contender[],
  options: {
    warmup: number;
    rounds: number;
    onRound?: (round: number, name: string, s: Sample) => void;
  },
): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(contenders.map((c) => [c.name, []]));
  for (let w = 0; w < options.warmup; w++) {
    for (const c of contenders) await c.run();
  }
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(round + k) % contenders.length]!;
      const sample = await measure(() => c.run());
      samples.get(c.name)!.push(sample);
      options.onRound?.(round, c.name, sample);
    }
  }
  return samples;
}
