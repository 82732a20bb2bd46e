import { OffsetTimeTable } from './offset-time-table.js';
import type { LagSample } from './partition-status.js';
import { PartitionMap } from './partition-map.js';

/**
 * What the monitor remembers between rounds: each group's last samples per partition (the
 * status window) and each partition's log-end timeline (for the time lag). No I/O: a round
 * adds to it, the pure group report reads it.
 */
export class LagHistory {
  private readonly windows = new Map<string, PartitionMap<LagSample[]>>();
  private readonly timelines = new PartitionMap<OffsetTimeTable>();

  constructor(private readonly tableCapacity: number) {}

  /** Notes that the partition's log end was `logEnd` at `at`. */
  logEndSeen(topic: string, partition: number, logEnd: bigint, at: number): void {
    let timeline = this.timelines.get(topic, partition);
    if (!timeline) {
      timeline = new OffsetTimeTable(this.tableCapacity);
      this.timelines.set(topic, partition, timeline);
    }
    timeline.add(logEnd, at);
  }

  /** The partition's log-end timeline, once a log end was seen. */
  timeline(topic: string, partition: number): OffsetTimeTable | undefined {
    return this.timelines.get(topic, partition);
  }

  /** Adds a sample to the group's window on the partition, keeping the last `size` (oldest first). */
  addSample(
    group: string,
    topic: string,
    partition: number,
    sample: LagSample,
    size: number,
  ): readonly LagSample[] {
    let windows = this.windows.get(group);
    if (!windows) this.windows.set(group, (windows = new PartitionMap()));
    let window = windows.get(topic, partition);
    if (!window) windows.set(topic, partition, (window = []));
    window.push(sample);
    if (window.length > size) window.splice(0, window.length - size);
    return window;
  }

  /** Empties the group's window on the partition (its commit is gone: a fresh start). */
  forgetWindow(group: string, topic: string, partition: number): void {
    this.windows.get(group)?.delete(topic, partition);
  }

  /** Drops the windows of every group not in `watched` (deleted, or no longer matching). */
  forgetGroupsBut(watched: ReadonlySet<string>): void {
    for (const group of this.windows.keys()) if (!watched.has(group)) this.windows.delete(group);
  }
}
