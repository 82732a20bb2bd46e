/**
 * Right after a topic is created, the broker that answers may not have heard of it yet: KRaft
 * brokers replay the metadata log each on their own, so a metadata request can say
 * UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition") or
 * LEADER_NOT_AVAILABLE for a moment. Kafka marks both retriable. A service starting on a
 * topic created a moment ago must wait that moment out, not crash at start.
 */

export interface CatchUpWait {
  /** Total time slept before giving up (default 10 s). */
  readonly ms: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const metadataCatchUp: CatchUpWait = {
  ms: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const retriable = (err: unknown) => (err as { retriable?: unknown } | null)?.retriable === true;

/**
 * Runs `work`, again after 100 ms doubling to 1 s while it fails with an error Kafka calls
 * retriable, until `wait.ms` of sleeping is spent; then, or at once for any other error,
 * the error is thrown as it came.
 */
export async function whileMetadataCatchesUp<T>(
  work: () => Promise<T>,
  wait: CatchUpWait = metadataCatchUp,
): Promise<T> {
  let slept = 0;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      return await work();
    } catch (err) {
      if (!retriable(err) || slept >= wait.ms) throw err;
    }
    await wait.sleep(delay);
    slept += delay;
  }
}
