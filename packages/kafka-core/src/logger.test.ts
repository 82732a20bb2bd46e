import { describe, expect, it } from 'vitest';
import { jsonLogger, warnOnce } from './logger.js';

describe('jsonLogger', () => {
  it('writes one JSON line per entry at or above its level', () => {
    const lines: string[] = [];
    const logger = jsonLogger('warn', (line) => lines.push(line));
    logger.info('hidden');
    logger.warn('shown', { topic: 'orders' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn',
      message: 'shown',
      topic: 'orders',
    });
  });
});

describe('warnOnce', () => {
  it('warns once per logger and key', () => {
    const lines: string[] = [];
    const logger = jsonLogger('debug', (line) => lines.push(line));
    warnOnce(logger, 'acks', 'acks=1');
    warnOnce(logger, 'acks', 'acks=1');
    warnOnce(logger, 'idempotence', 'off');
    expect(lines).toHaveLength(2);
  });
});
