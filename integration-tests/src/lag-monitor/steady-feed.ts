import { jsonLogger } from '@org/kafka-core';
import { createProducer } from '@org/kafka-producer';

/** Writes `perSecond` records to `topic` in ten sends a second until stopped. */
export async function startSteadyFeed(
  brokers: readonly string[],
  topic: string,
  perSecond: number,
): Promise<{ stop(): Promise<number> }> {
  const producer = createProducer({
    brokers: [...brokers],
    clientId: 'steady-feed',
    logger: jsonLogger('warn'),
  });
  await producer.connect();
  let running = true;
  let sent = 0;
  const loop = (async () => {
    const perTick = Math.max(1, Math.round(perSecond / 10));
    for (let tick = 0; running; tick++) {
      const started = Date.now();
      await producer.send({
        topic,
        messages: Array.from({ length: perTick }, (_, i) => ({
          key: `k${(tick * perTick + i) % 97}`,
          value: String(sent + i),
        })),
      });
      sent += perTick;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, 100 - (Date.now() - started))),
      );
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await producer.disconnect();
      return sent;
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
