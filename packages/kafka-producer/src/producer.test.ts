import { describe, expect, it } from 'vitest';
import { KafkaSdkError, jsonLogger } from '@org/kafka-core';
import { createProducer } from './producer.js';

// No broker is needed for what these check: the refusals happen before any network I/O.
const options = { brokers: ['127.0.0.1:1'], logger: jsonLogger('silent') };

describe('producer lifecycle', () => {
  it('refuses a send before connect with a clear error', async () => {
    const producer = createProducer(options);
    await expect(producer.send({ topic: 't', messages: [{ value: 'v' }] })).rejects.toMatchObject({
      code: 'PRODUCER_NOT_CONNECTED',
    });
  });

  it('refuses a send after disconnect instead of hanging', async () => {
    const producer = createProducer(options);
    await producer.disconnect();
    const err = await producer
      .send({ topic: 't', messages: [{ value: 'v' }] })
      .catch((e: unknown) => e);
    expect(KafkaSdkError.is(err)).toBe(true);
    expect(err).toMatchObject({ code: 'PRODUCER_CLOSED', retriable: false });
    await expect(producer.connect()).rejects.toMatchObject({ code: 'PRODUCER_CLOSED' });
    await producer.disconnect();
  });

  it('fails connect() to a cluster that does not answer, instead of retrying for the delivery timeout', async () => {
    const producer = createProducer(options);
    await expect(producer.connect()).rejects.toThrow(/ECONNREFUSED|Connection error|retries/i);
  }, 60_000);

  it('logs the opt-out warning once, at creation', () => {
    const lines: string[] = [];
    createProducer({
      ...options,
      logger: jsonLogger('warn', (l) => lines.push(l)),
      unsafe: { acks: 1 },
    });
    expect(lines).toHaveLength(1);
    expect((JSON.parse(lines[0]!) as { message: string }).message).toContain(
      'runs with acks=1 and idempotence off',
    );
  });
});
