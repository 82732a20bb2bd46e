import { retryTopicName } from '@org/kafka-core';
import type { TopicPlan } from './options.js';
import type { ReadFrom } from './record-view.js';

/** A topic the consumer reads (a source topic or one of its retry topics) and its policy. */
export interface TopicRoute extends Omit<ReadFrom, 'partition'> {
  readonly plan: TopicPlan;
}

/** Where a batch was read from, with the policy that applies to it. */
export interface Route extends ReadFrom {
  readonly plan: TopicPlan;
}

/** Every topic to subscribe to: each source topic at tier 0, then its retry topics 1..n. */
export function topicRoutes(plans: readonly TopicPlan[]): ReadonlyMap<string, TopicRoute> {
  const routes = new Map<string, TopicRoute>();
  for (const plan of plans) {
    routes.set(plan.topic, { topic: plan.topic, source: plan.topic, tier: 0, plan });
    plan.retry.retryTopicDelaysMs.forEach((_, i) => {
      const topic = retryTopicName(plan.topic, i + 1);
      routes.set(topic, { topic, source: plan.topic, tier: i + 1, plan });
    });
  }
  return routes;
}
