import { backoffCeiling } from './backoff.js';
import { OutageDetector, type OutageEvidence, type OutageRules } from './outage-detector.js';

/** Outage mode's settings (the consumer's `outage` option, resolved). */
export interface OutagePolicy extends OutageRules {
  /** The wait before the first probe, ms; it doubles after each failed probe. */
  readonly probeIntervalMs: number;
  /** No wait between probes is longer than this, ms. */
  readonly maxProbeIntervalMs: number;
}

/** How a probe went: the handler succeeded, failed transiently, or failed for another reason. */
export type ProbeResult = 'succeeded' | 'failed' | 'inconclusive';

/**
 * Why a held record left the gate:
 * - `recovered`: another record's probe succeeded; call the handler again.
 * - `probed`: this record was the probe, and it succeeded or failed for a reason of its own
 *   (the probe's outcome decides what happens to it).
 * - `ended`: the batch ended (stop, rebalance); the record stays unfinished.
 */
export type HoldResult = 'recovered' | 'probed' | 'ended';

/** What the gate tells the consumer, for its event, log line and metrics. */
export interface OutageHooks {
  started(evidence: OutageEvidence, error: unknown): void;
  probed(result: ProbeResult, probes: number): void;
  ended(info: { readonly durationMs: number; readonly probes: number }): void;
}

interface Holder {
  readonly probe: () => Promise<ProbeResult>;
  readonly signal: AbortSignal;
  readonly leave: (result: HoldResult) => void;
}

/**
 * Outage mode. While the failures of many distinct keys say a dependency is down (see
 * OutageDetector), every record that reaches the handler path is held here, unfinished,
 * instead of being moved through the retry topics into the dead-letter topic: nothing is
 * committed past it, nothing is lost. One held record at a time is a probe: after
 * `probeIntervalMs` (doubling to `maxProbeIntervalMs`, with jitter so a group's members do not
 * probe together) its handler is called; a success ends the outage and every held record is
 * tried again. A failed probe's record goes to the back of the queue, so a single bad record
 * cannot keep the outage on while others would succeed.
 */
export class OutageGate {
  private readonly detector: OutageDetector;
  private readonly holders: Holder[] = [];
  private startedAt: number | undefined;
  private probes = 0;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  // The timer fired while nobody was held: the next record held probes at once.
  private probeDue = false;
  private closed = false;

  constructor(
    private readonly policy: OutagePolicy,
    private readonly hooks: OutageHooks,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.detector = new OutageDetector(policy);
  }

  /** Whether an outage is on: records are held instead of handed to the handler. */
  get active(): boolean {
    return this.startedAt !== undefined;
  }

  /** `count` handler calls succeeded (not probes). */
  succeeded(count = 1): void {
    this.detector.succeeded(this.now(), count);
  }

  /**
   * A handler call failed transiently for the record of `key`. The window's evidence when
   * this failure started an outage (the caller marks its span); the record is then held.
   */
  failed(key: string, error: unknown): OutageEvidence | undefined {
    if (this.active || this.closed) return undefined;
    const evidence = this.detector.failed(this.now(), key);
    if (!evidence) return undefined;
    this.startedAt = this.now();
    this.probes = 0;
    this.probeDue = false;
    this.hooks.started(evidence, error);
    this.schedule();
    return evidence;
  }

  /**
   * Holds one record until the outage ends, its probe settles it, or `signal` aborts (the
   * batch ends). `probe` calls the handler for it once.
   */
  hold(signal: AbortSignal, probe: () => Promise<ProbeResult>): Promise<HoldResult> {
    if (!this.active) return Promise.resolve('recovered');
    if (signal.aborted) return Promise.resolve('ended');
    return new Promise((resolve) => {
      const holder: Holder = {
        probe,
        signal,
        leave: (result) => {
          signal.removeEventListener('abort', onAbort);
          resolve(result);
        },
      };
      const onAbort = () => {
        // A holder whose probe is running leaves when its probe settles.
        const at = this.holders.indexOf(holder);
        if (at < 0) return;
        this.holders.splice(at, 1);
        holder.leave('ended');
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.holders.push(holder);
      if (this.probeDue) {
        this.probeDue = false;
        void this.probeNext();
      }
    });
  }

  /** The consumer stops: no more probes; held records leave as their batches end. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.closed) return;
    // Equal jitter: at least half the interval, so probes never come in a burst.
    const ceiling = backoffCeiling(this.probes + 1, {
      initialDelayMs: this.policy.probeIntervalMs,
      maxDelayMs: this.policy.maxProbeIntervalMs,
    });
    const delayMs = Math.floor(ceiling / 2 + (this.random() * ceiling) / 2);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.probeNext();
    }, delayMs);
  }

  private async probeNext(): Promise<void> {
    if (this.closed || this.probing || !this.active) return;
    const holder = this.holders.shift();
    if (!holder) {
      this.probeDue = true;
      return;
    }
    this.probing = true;
    let result: ProbeResult;
    try {
      result = await holder.probe();
    } catch {
      // The probe callback settles its own errors; a throw here is a bug, not an answer.
      result = 'inconclusive';
    } finally {
      this.probing = false;
    }
    this.probes++;
    this.hooks.probed(result, this.probes);
    if (result === 'succeeded') {
      holder.leave('probed');
      this.end();
      return;
    }
    if (result === 'inconclusive') {
      // The record failed for a reason of its own: it goes its way, another record probes now.
      holder.leave('probed');
      void this.probeNext();
      return;
    }
    if (holder.signal.aborted) holder.leave('ended');
    else this.holders.push(holder);
    this.schedule();
  }

  private end(): void {
    const durationMs = this.now() - (this.startedAt ?? this.now());
    this.startedAt = undefined;
    this.probeDue = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.detector.reset();
    for (const holder of this.holders.splice(0)) holder.leave('recovered');
    this.hooks.ended({ durationMs, probes: this.probes });
  }
}
