import { jsonLogger } from '@org/kafka-core';
import { createProducer } from '@org/kafka-producer';

/** Writes `count` keyed records (value = its sequence number) through our producer. */
export async function produceOrders(
  brokers: readonly string[],
  topic: string,
  count: number,
  options: { keys?: number; first?: number } = {},
): Promise<void> {
  const producer = createProducer({
    brokers: [...brokers],
    clientId: 'consumer-tests-feed',
    logger: jsonLogger('warn'),
  });
  await producer.connect();
  try {
    const keys = options.keys ?? 500;
    const first = options.first ?? 0;
    for (let start = first; start < first + count; start += 1000) {
      const messages = [];
      for (let i = start; i < Math.min(start + 1000, first + count); i++) {
        messages.push({ key: `order-${i % keys}`, value: String(i) });
      }
      await producer.send({ topic, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Resolves when `done()` holds, checking every 100 ms; rejects with `describe()` after `timeoutMs`. */
export async function until(
  done: () => boolean,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
