export { default } from '@org/kafka-testkit/vitest-global-setup';
