import { ConfigError } from '@org/kafka-core';
import { describe, expect, it } from 'vitest';
import { defaultOutboxTable, outboxNames } from './table-layout.js';

describe('outboxNames', () => {
  it('derives every name from the table', () => {
    const names = outboxNames();
    expect(names).toMatchObject({
      table: defaultOutboxTable,
      migrations: 'kafka_outbox_migrations',
      channel: 'kafka_outbox_committed',
      membershipLock: -1,
    });
    expect(Number.isInteger(names.lockSpace)).toBe(true);
    expect(names.keyLockSpace).not.toBe(names.lockSpace);
  });

  it('gives two tables different lock spaces', () => {
    expect(outboxNames('a_outbox').lockSpace).not.toBe(outboxNames('b_outbox').lockSpace);
  });

  it.each(['Orders', 'orders;drop table x', '1outbox', '', 'x'.repeat(41), 'öutbox'])(
    'refuses %j, naming the table option',
    (table) => {
      expect(() => outboxNames(table)).toThrow(ConfigError);
      expect(() => outboxNames(table)).toThrow(
        /table: .* is not a plain lower-case SQL identifier/,
      );
    },
  );
});
