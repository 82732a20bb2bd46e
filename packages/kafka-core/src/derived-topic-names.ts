/**
 * The one owner of the names the consumer derives from a source topic: its retry topics
 * (`<topic>.retry.<tier>`, tier from 1) and its dead-letter topic (`<topic>.dlq`). The
 * consumer names and provisions them, its assigner co-partitions them, the lag monitor
 * reports retry topics without judging them: all through these functions.
 */

/** `<topic>.retry.<tier>`, tier counted from 1. */
export function retryTopicName(sourceTopic: string, tier: number): string {
  return `${sourceTopic}.retry.${tier}`;
}

/** `<topic>.dlq`. */
export function deadLetterTopicName(sourceTopic: string): string {
  return `${sourceTopic}.dlq`;
}

const retryTopicPattern = /^(.+)\.retry\.(\d+)$/;

/** The source topic and tier of a retry topic's name, or undefined for any other name. */
export function parseRetryTopic(topic: string): { source: string; tier: number } | undefined {
  const match = retryTopicPattern.exec(topic);
  return match ? { source: match[1]!, tier: Number(match[2]) } : undefined;
}

/** Whether `topic` is named as a retry or dead-letter topic of another. */
export function isDerivedTopicName(topic: string): boolean {
  return parseRetryTopic(topic) !== undefined || (topic.endsWith('.dlq') && topic.length > 4);
}
