export { backoffDelay, backoffCeiling } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { nextStep, retryTopicName, deadLetterTopicName } from './retry-route.js';
export type { RetryPolicy, NextStep } from './retry-route.js';
export {
  retryHeaderNames,
  springDltHeaderNames,
  encodeRetryHeaders,
  decodeRetryHeaders,
  encodeDeadLetterHeaders,
  truncateUtf8,
  defaultErrorHeaderLimits,
} from './retry-headers.js';
export type { RetryInfo, ErrorHeaderLimits } from './retry-headers.js';
export { NonRetriableError, isRetriable } from './error-classification.js';
