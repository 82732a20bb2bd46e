import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { connectionOptionsSchema } from './connection-options.js';
import { ConfigError, KafkaSdkError } from './errors.js';
import { parseOptions } from './parse-options.js';

const parse = (input: unknown) => parseOptions(connectionOptionsSchema, input, 'connection');

function issuesOf(input: unknown): string {
  try {
    parse(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect(KafkaSdkError.is(err)).toBe(true);
    expect((err as ConfigError).code).toBe('CONFIG_INVALID');
    return (err as ConfigError).message;
  }
  throw new Error('expected the options to be refused');
}

describe('connection options', () => {
  it('applies defaults', () => {
    const resolved = parse({ brokers: ['127.0.0.1:9092'] });
    expect(resolved.clientId).toBe('org-kafka-sdk');
    expect(resolved.connectionTimeoutMs).toBe(3_000);
    expect(resolved.requestTimeoutMs).toBe(30_000);
  });

  it.each([
    [{}, 'brokers: Invalid input: expected array, received undefined'],
    [{ brokers: [] }, 'brokers: at least one broker is required'],
    [{ brokers: ['localhost'] }, 'brokers[0]: expected "host:port"'],
    [{ brokers: ['a:9092', 'b:0'] }, 'brokers[1]: port must be 1 to 65535'],
    [{ brokers: ['a:9092'], clientId: 'has space' }, 'clientId: letters, digits'],
    [{ brokers: ['a:9092'], connectionTimeoutMs: 10 }, 'connectionTimeoutMs: Too small'],
    [
      { brokers: ['a:9092'], requestTimeoutMs: 1.5 },
      'requestTimeoutMs: Invalid input: expected int',
    ],
    [{ brokers: ['a:9092'], ssl: 'yes' }, 'ssl: Invalid input'],
    [
      { brokers: ['a:9092'], ssl: { rejectUnauthorised: false } },
      'ssl: unknown option "rejectUnauthorised"',
    ],
    [
      { brokers: ['a:9092'], sasl: { mechanism: 'gssapi' } },
      'sasl.mechanism: mechanism must be one of "plain", "scram-sha-256", "scram-sha-512", "oauthbearer"',
    ],
    [
      { brokers: ['a:9092'], sasl: { mechanism: 'plain', username: 'u' } },
      'sasl.password: expected a non-empty string or a Secret',
    ],
    [
      { brokers: ['a:9092'], sasl: { mechanism: 'scram-sha-512', username: '', password: 'p' } },
      'sasl.username: must not be empty',
    ],
    [
      { brokers: ['a:9092'], sasl: { mechanism: 'oauthbearer' } },
      'sasl.oauthBearerProvider: expected a function',
    ],
    [
      { brokers: ['a:9092'], logger: console.log },
      'logger: expected an object with debug, info, warn and error functions',
    ],
    [{ brokers: ['a:9092'], brokerz: [] }, '(root): unknown option "brokerz"'],
  ])('refuses %j, naming the path', (input, expected) => {
    expect(issuesOf(input)).toContain(expected);
  });

  it('lists every problem at once', () => {
    const message = issuesOf({ brokers: ['x'], clientId: '' });
    expect(message).toContain('brokers[0]');
    expect(message).toContain('clientId');
  });

  it('accepts every SASL mechanism and TLS options', () => {
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      expect(
        parse({ brokers: ['a:9093'], ssl: true, sasl: { mechanism, username: 'u', password: 'p' } })
          .sasl?.mechanism,
      ).toBe(mechanism);
    }
    const provider = () => Promise.resolve({ value: 'token' });
    expect(
      parse({
        brokers: ['a:9093'],
        sasl: { mechanism: 'oauthbearer', oauthBearerProvider: provider },
      }).sasl?.mechanism,
    ).toBe('oauthbearer');
    expect(
      parse({
        brokers: ['a:9093'],
        ssl: { ca: 'CA', cert: 'CERT', key: 'KEY', rejectUnauthorized: true },
      }).ssl,
    ).toBeTruthy();
  });
});

describe('secrets in a resolved config', () => {
  const password = 'hunter2-very-secret';
  const tlsKey = '-----BEGIN PRIVATE KEY-----abc';
  const resolved = parse({
    brokers: ['a:9093'],
    ssl: { key: tlsKey, passphrase: 'pass-phrase-secret' },
    sasl: { mechanism: 'scram-sha-256', username: 'svc-orders', password },
  });

  it('never show in JSON.stringify, util.inspect, String() or template literals', () => {
    for (const text of [
      JSON.stringify(resolved),
      inspect(resolved, { depth: 10, showHidden: true }),
      String(resolved.sasl && 'password' in resolved.sasl ? resolved.sasl.password : ''),
      `${JSON.stringify(resolved.ssl)}`,
    ]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain('abc');
      expect(text).not.toContain('pass-phrase-secret');
    }
    expect(JSON.stringify(resolved)).toContain('"password":"[redacted]"');
    expect(JSON.stringify(resolved)).toContain('svc-orders');
  });

  it('pass through a second validation unrevealed (one component hands them to another)', () => {
    const again = parse(resolved);
    expect(again.sasl && 'password' in again.sasl && again.sasl.password.reveal()).toBe(password);
    expect(again.ssl && typeof again.ssl === 'object' && again.ssl.key?.reveal()).toBe(tlsKey);
  });

  it('are revealed only on purpose', () => {
    expect(resolved.sasl && 'password' in resolved.sasl && resolved.sasl.password.reveal()).toBe(
      password,
    );
  });

  it('never show in the errors of a refused config', () => {
    const message = issuesOf({
      brokers: ['a'],
      sasl: { mechanism: 'plain', username: 'u', password: 12345678 },
    });
    expect(message).not.toContain('12345678');
    const message2 = issuesOf({ brokers: ['a:1'], sasl: { mechanism: 'nope', password } });
    expect(message2).not.toContain(password);
  });
});
