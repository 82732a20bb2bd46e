import { deadLetterTopicName, retryTopicName } from '@org/kafka-core';
import { backoffDelay, type BackoffPolicy } from './backoff.js';

/** How a failed record is retried: in place first, then through delay tiers, then dead-lettered. */
export interface RetryPolicy extends BackoffPolicy {
  /** Handler attempts on the source topic, the first included (1 = no in-place retry). */
  readonly attempts: number;
  /** One retry topic per entry: `<topic>.retry.1` waits the first delay, and so on. */
  readonly retryTopicDelaysMs: readonly number[];
}

/** What to do with a record whose handler just failed. */
export type NextStep =
  | { readonly kind: 'retry-in-place'; readonly delayMs: number }
  | {
      readonly kind: 'retry-topic';
      readonly topic: string;
      readonly tier: number;
      readonly dueAt: number;
    }
  | {
      readonly kind: 'dead-letter';
      readonly topic: string;
      readonly reason: 'exhausted' | 'non-retriable';
    };

/**
 * Chooses the next step for a failed record. In-place retries happen on the source topic
 * only (tier 0): a retry topic exists to wait without blocking, so a failure there moves
 * the record to the next tier at once.
 */
export function nextStep(
  failure: {
    /** The original topic (not the retry topic the record was read from). */
    readonly sourceTopic: string;
    /** 0 on the source topic, n when read from `<topic>.retry.n`. */
    readonly tier: number;
    /** Failed handler attempts in this hop so far, this one included (1 after the first failure). */
    readonly failedAttempts: number;
    readonly retriable: boolean;
    readonly now: number;
  },
  policy: RetryPolicy,
  random: () => number = Math.random,
): NextStep {
  const dlq = deadLetterTopicName(failure.sourceTopic);
  if (!failure.retriable) return { kind: 'dead-letter', topic: dlq, reason: 'non-retriable' };
  if (failure.tier === 0 && failure.failedAttempts < policy.attempts) {
    return {
      kind: 'retry-in-place',
      delayMs: backoffDelay(failure.failedAttempts, policy, random),
    };
  }
  const next = failure.tier + 1;
  const delay = policy.retryTopicDelaysMs[failure.tier];
  if (delay === undefined) return { kind: 'dead-letter', topic: dlq, reason: 'exhausted' };
  return {
    kind: 'retry-topic',
    topic: retryTopicName(failure.sourceTopic, next),
    tier: next,
    dueAt: failure.now + delay,
  };
}
