/** Why a partition is paused; it is fetched again only when no reason is left. */
export type PauseReason = 'user' | 'retry-not-due' | 'parking-full' | 'stopping';

/**
 * The pause reasons of each topic-partition. Several parts of the consumer pause the same
 * partition for different reasons (a retry not yet due, a full parking, the user); one
 * must not resume what another still holds.
 */
export class PartitionPauses {
  private readonly reasons = new Map<string, Set<PauseReason>>();

  private static id(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`;
  }

  /** Adds a reason; true when the partition was not paused before (the caller pauses it). */
  add(topic: string, partition: number, reason: PauseReason): boolean {
    const id = PartitionPauses.id(topic, partition);
    const set = this.reasons.get(id);
    if (set) {
      set.add(reason);
      return false;
    }
    this.reasons.set(id, new Set([reason]));
    return true;
  }

  /** Removes a reason; true when none is left (the caller resumes the partition). */
  remove(topic: string, partition: number, reason: PauseReason): boolean {
    const id = PartitionPauses.id(topic, partition);
    const set = this.reasons.get(id);
    if (!set?.delete(reason)) return false;
    if (set.size > 0) return false;
    this.reasons.delete(id);
    return true;
  }

  has(topic: string, partition: number, reason?: PauseReason): boolean {
    const set = this.reasons.get(PartitionPauses.id(topic, partition));
    return reason === undefined ? set !== undefined : (set?.has(reason) ?? false);
  }
}
