import { describe, expect, it } from 'vitest';
import type { ConfigIssue } from './errors.js';
import { connectionFromCli } from './cli-connection.js';

const files: Record<string, string> = { '/ca.pem': 'CA', '/c.pem': 'CERT', '/k.pem': 'KEY' };
const readFile = (path: string) => {
  if (path in files) return files[path]!;
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
};
function read(flags: Parameters<typeof connectionFromCli>[0], env: NodeJS.ProcessEnv = {}) {
  const issues: ConfigIssue[] = [];
  const connection = connectionFromCli(flags, env, issues, readFile);
  return { connection, issues: issues.map((i) => `${i.path}: ${i.message}`) };
}

describe('connection flags and environment', () => {
  it('is plaintext without any', () => {
    expect(read({})).toEqual({ connection: {}, issues: [] });
  });

  it('TLS from a flag or KAFKA_TLS; files read; flags win over the environment', () => {
    expect(read({ tls: true }).connection).toEqual({ ssl: true });
    expect(read({}, { KAFKA_TLS: 'true' }).connection).toEqual({ ssl: true });
    expect(read({}, { KAFKA_TLS: 'false' }).connection).toEqual({});
    expect(
      read(
        { 'tls-ca': '/ca.pem', 'tls-cert': '/c.pem' },
        { KAFKA_TLS_KEY: '/k.pem', KAFKA_TLS_CA: '/elsewhere' },
      ).connection,
    ).toMatchObject({ ssl: { ca: 'CA', cert: 'CERT' } });
    const key = read({ 'tls-cert': '/c.pem', 'tls-key': '/k.pem' }).connection;
    expect(key.ssl !== true && key.ssl?.key?.reveal()).toBe('KEY');
    expect(JSON.stringify(key)).not.toContain('KEY');
    expect(read({ 'tls-servername': 'kafka.internal' }).connection).toEqual({
      ssl: { servername: 'kafka.internal' },
    });
  });

  it('SASL with the password from the environment only, wrapped so it never prints', () => {
    const { connection, issues } = read(
      { 'sasl-mechanism': 'scram-sha-512' },
      { KAFKA_SASL_USERNAME: 'monitor', KAFKA_SASL_PASSWORD: 'hunter2' },
    );
    expect(issues).toEqual([]);
    expect(connection.sasl?.mechanism).toBe('scram-sha-512');
    expect(connection.sasl?.username).toBe('monitor');
    expect(connection.sasl?.password.reveal()).toBe('hunter2');
    expect(JSON.stringify(connection)).not.toContain('hunter2');
  });

  it.each<[Parameters<typeof connectionFromCli>[0], NodeJS.ProcessEnv, string[]]>([
    [
      { 'tls-ca': '/missing.pem' },
      {},
      ['--tls-ca (KAFKA_TLS_CA): cannot read "/missing.pem": ENOENT'],
    ],
    [
      { 'tls-cert': '/c.pem' },
      {},
      ['--tls-key (KAFKA_TLS_KEY): a client certificate needs both --tls-cert and --tls-key'],
    ],
    [{}, { KAFKA_TLS: 'yes' }, ['KAFKA_TLS: expected "true" or "false", got "yes"']],
    [
      { 'sasl-mechanism': 'gssapi' },
      {},
      [
        '--sasl-mechanism (KAFKA_SASL_MECHANISM): expected one of plain, scram-sha-256, scram-sha-512, got "gssapi"',
      ],
    ],
    [
      { 'sasl-mechanism': 'plain' },
      {},
      [
        '--sasl-username (KAFKA_SASL_USERNAME): required with --sasl-mechanism plain',
        'KAFKA_SASL_PASSWORD: required with --sasl-mechanism plain (never a flag)',
      ],
    ],
    [
      { 'sasl-username': 'u' },
      {},
      [
        '--sasl-mechanism (KAFKA_SASL_MECHANISM): required with a SASL username; one of plain, scram-sha-256, scram-sha-512',
      ],
    ],
  ])('refuses %j %j naming the flag and its variable', (flags, env, expected) => {
    expect(read(flags, env).issues).toEqual(expected);
  });
});
