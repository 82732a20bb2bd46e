import { context, type Context } from '@opentelemetry/api';
import { KafkaSdkError, type Logger } from '@org/kafka-core';
import type { ConsumerTelemetry } from './consumer-telemetry.js';
import { deadLetterMessage, retryMessage, type HandOffMessage } from './hand-off-messages.js';
import type { ResolvedConsumerOptions } from './options.js';
import type { RecordOutcome } from './types.js';
import type { ConsumedRecord } from './types.js';

/** Writes one record to a topic, acknowledged by all in-sync replicas (the safe producer). */
export interface HandOffSender {
  send(request: { topic: string; messages: HandOffMessage[] }): Promise<unknown>;
}

export interface HandOffDeps {
  readonly sender: HandOffSender;
  /** Partitions of a retry or dead-letter topic, as provisioned. */
  readonly partitionCount: (topic: string) => number;
  readonly options: Pick<
    ResolvedConsumerOptions,
    'deadLetterHeaders' | 'maxErrorMessageBytes' | 'maxErrorStackBytes'
  >;
  readonly telemetry: ConsumerTelemetry;
  readonly logger: Logger;
  readonly emit: (outcome: RecordOutcome) => void;
}

/**
 * Moves a failed record on: to the retry topic of its next tier, or to the dead-letter topic.
 * Each resolves only once the record is durably written, so the caller may then count the
 * source record finished; a failed write rejects with CONSUMER_HAND_OFF_FAILED (retriable)
 * and the caller writes it again.
 */
export class HandOff {
  constructor(private readonly deps: HandOffDeps) {}

  async toRetryTopic(
    source: string,
    record: ConsumedRecord,
    step: { readonly topic: string; readonly dueAt: number },
    error: unknown,
    ctx: Context,
    firstFailureAt: number,
  ): Promise<void> {
    const message = retryMessage(
      record,
      this.deps.partitionCount(step.topic),
      record.attempt,
      step.dueAt,
      firstFailureAt,
    );
    await this.send(step.topic, message, ctx);
    this.deps.telemetry.retried(source, step.topic);
    this.deps.emit({
      kind: 'retry-scheduled',
      record,
      topic: step.topic,
      dueAt: step.dueAt,
      error,
    });
  }

  async toDeadLetterTopic(
    source: string,
    topic: string,
    record: ConsumedRecord,
    error: unknown,
    failedAttempts: number,
    ctx: Context,
    reason: 'exhausted' | 'non-retriable',
  ): Promise<void> {
    const o = this.deps.options;
    const message = deadLetterMessage(
      record,
      this.deps.partitionCount(topic),
      failedAttempts,
      error,
      {
        format: o.deadLetterHeaders,
        limits: { maxMessageBytes: o.maxErrorMessageBytes, maxStackBytes: o.maxErrorStackBytes },
      },
    );
    await this.send(topic, message, ctx);
    this.deps.telemetry.deadLettered(source, reason, error);
    this.deps.logger.warn(`dead-lettered a record of "${source}" to "${topic}"`, {
      reason,
      partition: record.partition,
      offset: record.offset,
      error: (error as Error | undefined)?.message,
    });
    this.deps.emit({ kind: 'dead-lettered', record, topic, reason, error });
  }

  private async send(topic: string, message: HandOffMessage, ctx: Context): Promise<void> {
    try {
      await context.with(ctx, () => this.deps.sender.send({ topic, messages: [message] }));
    } catch (err) {
      throw new KafkaSdkError(
        'CONSUMER_HAND_OFF_FAILED',
        `could not write a failed record to "${topic}": ${(err as Error).message}`,
        { cause: err, retriable: true },
      );
    }
  }
}
