import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { authenticationFailure, connectClient, tlsFailure } from './connect-client.js';
import { KafkaSdkError } from './errors.js';
import { Secret } from './secret.js';

// The error kafkajs throws when a broker refuses the login. (Named exports of kafkajs, a
// CommonJS module, are missing under plain Node ESM.)
const { KafkaJSSASLAuthenticationError } = kafkajs;
// kafkajs's type declares no constructor arguments, but it takes the message as its own code does.
const SaslError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;
const refused = (message: string) => new SaslError(message);

const scram = {
  brokers: ['kafka-1:9094', 'kafka-2:9094'],
  sasl: {
    mechanism: 'scram-sha-512' as const,
    username: 'svc-orders',
    password: new Secret('hunter2'),
  },
};

describe('authenticationFailure', () => {
  it('names the mechanism, user and brokers, keeps the cause, and is not retriable', () => {
    const cause = refused('SASL SCRAM SHA512 authentication failed: invalid credentials');
    const err = authenticationFailure(cause, scram)!;
    expect(KafkaSdkError.is(err)).toBe(true);
    expect(err.code).toBe('AUTHENTICATION_FAILED');
    expect(err.retriable).toBe(false);
    expect(err.cause).toBe(cause);
    expect(err.message).toBe(
      'scram-sha-512 authentication as "svc-orders" to kafka-1:9094,kafka-2:9094 was refused: SASL SCRAM SHA512 authentication failed: invalid credentials. Check sasl.username and sasl.password (or the token provider); retrying will not help',
    );
    expect(err.message).not.toContain('hunter2');
  });

  it('has no user to name for OAUTHBEARER', () => {
    const err = authenticationFailure(refused('denied'), {
      brokers: ['k:9094'],
      sasl: {
        mechanism: 'oauthbearer',
        oauthBearerProvider: () => Promise.resolve({ value: 't' }),
      },
    })!;
    expect(err.message).toMatch(/^oauthbearer authentication to k:9094 was refused: denied\./);
  });

  it('leaves every other failure alone', () => {
    expect(authenticationFailure(new Error('Connection timeout'), scram)).toBeUndefined();
    expect(authenticationFailure('not an error', scram)).toBeUndefined();
  });
});

describe('tlsFailure', () => {
  // As kafkajs hands it over after its retries: a wrapper whose cause is the connection error
  // carrying Node's TLS code.
  const wrapped = (code: string, message: string) => {
    const connection = Object.assign(new Error(`Connection error: ${message}`), {
      name: 'KafkaJSConnectionError',
      code,
    });
    return Object.assign(new Error(connection.message, { cause: connection }), {
      name: 'KafkaJSNumberOfRetriesExceeded',
    });
  };

  it('says what is wrong with the certificate and what to change', () => {
    const err = tlsFailure(wrapped('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), {
      brokers: ['kafka-1:9093'],
    })!;
    expect(err.code).toBe('TLS_HANDSHAKE_FAILED');
    expect(err.retriable).toBe(false);
    expect(err.message).toBe(
      "TLS handshake with kafka-1:9093 failed: Connection error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT): the broker's certificate is self-signed: pass it (or its CA) as ssl.ca; retrying will not help",
    );
  });

  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'not signed by a CA this client trusts'],
    ['CERT_HAS_EXPIRED', 'has expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'does not name the address dialled'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'the port does not speak TLS'],
  ])('%s: %s', (code, advice) => {
    expect(tlsFailure(wrapped(code, 'x'), { brokers: ['k:1'] })!.message).toContain(advice);
  });

  it('leaves other connection failures alone', () => {
    expect(tlsFailure(wrapped('ECONNREFUSED', 'connect ECONNREFUSED'), { brokers: ['k:1'] })).toBe(
      undefined,
    );
    expect(tlsFailure(new Error('toString'), { brokers: ['k:1'] })).toBe(undefined);
    // A code that only looks like a key of an object is not a TLS code.
    expect(tlsFailure(wrapped('constructor', 'x'), { brokers: ['k:1'] })).toBe(undefined);
  });
});

describe('connectClient', () => {
  it('turns a refused login into AUTHENTICATION_FAILED and passes other errors through', async () => {
    const client = (connect: () => Promise<void>) => {
      const calls = { disconnects: 0 };
      return {
        calls,
        connect,
        disconnect: () => {
          calls.disconnects++;
          return Promise.resolve();
        },
      };
    };
    const refusedLogin = client(() => Promise.reject(refused('no')));
    await expect(connectClient(refusedLogin, scram)).rejects.toMatchObject({
      code: 'AUTHENTICATION_FAILED',
    });
    // What the failed connect opened is closed.
    expect(refusedLogin.calls.disconnects).toBe(1);
    const other = new Error('ECONNREFUSED');
    const unreachable = client(() => Promise.reject(other));
    await expect(connectClient(unreachable, scram)).rejects.toBe(other);
    expect(unreachable.calls.disconnects).toBe(1);
    const fine = client(() => Promise.resolve());
    await expect(connectClient(fine, scram)).resolves.toBe(undefined);
    expect(fine.calls.disconnects).toBe(0);
  });
});
