import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderBrokerProperties, type NodeAddress } from './broker-config.js';
import { createBrokerKeystore, keytoolCommand, tlsListenerProperties } from './tls-listener.js';

describe('keytoolCommand', () => {
  it('uses the keytool beside JAVA_HOME, else the one on PATH', () => {
    expect(keytoolCommand({ JAVA_HOME: '/opt/jdk-17' })).toBe('/opt/jdk-17/bin/keytool');
    expect(keytoolCommand({})).toBe('keytool');
  });
});

// keytool is a JVM: on a machine with every core busy it can take longer than vitest's
// default 5 s, which is not what this test checks.
describe('createBrokerKeystore (runs the real keytool)', { timeout: 120_000 }, () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('makes a PKCS12 key pair whose certificate names 127.0.0.1 and localhost, valid for a week', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tls-listener-test-'));
    dirs.push(dir);
    const keystore = await createBrokerKeystore(dir);
    expect(keystore.file).toBe(join(dir, 'broker-keystore.p12'));
    expect(keystore.password).toMatch(/^[0-9a-f]{24}$/);
    const cert = new X509Certificate(keystore.caPem);
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
    expect(cert.subject).toContain('CN=localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    // Self-signed: it is its own issuer, which is what a client's ssl.ca then trusts.
    expect(cert.verify(cert.publicKey)).toBe(true);
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(7);
  });

  it('names keytool and JAVA_HOME when keytool cannot run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tls-listener-test-'));
    dirs.push(dir);
    await expect(createBrokerKeystore(dir, { JAVA_HOME: '/nonexistent-jdk' })).rejects.toThrow(
      'keytool -genkeypair failed (it comes with Java; set JAVA_HOME if it is not on PATH)',
    );
  });
});

describe('the SSL listener in server.properties', () => {
  const keystore = { file: '/k/broker-keystore.p12', password: 'pw', caPem: '' };

  it('asks for the key pair, and no client certificate', () => {
    expect(tlsListenerProperties(keystore)).toEqual({
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.location': '/k/broker-keystore.p12',
      'ssl.keystore.password': 'pw',
      'ssl.key.password': 'pw',
      'ssl.client.auth': 'none',
    });
  });

  it('listens and advertises SSL beside PLAINTEXT (and SASL_PLAINTEXT when asked)', () => {
    const node: NodeAddress = {
      id: 1,
      port: 9001,
      controllerPort: 9101,
      saslPort: 9201,
      sslPort: 9301,
    };
    const props = renderBrokerProperties({
      node,
      nodes: [node],
      dataDir: '/d',
      keystore,
      saslUsers: [{ username: 'a', password: 'b' }],
    });
    expect(props).toContain(
      '\nlisteners=PLAINTEXT://127.0.0.1:9001,CONTROLLER://127.0.0.1:9101,SASL_PLAINTEXT://127.0.0.1:9201,SSL://127.0.0.1:9301\n',
    );
    expect(props).toContain(
      '\nadvertised.listeners=PLAINTEXT://127.0.0.1:9001,SASL_PLAINTEXT://127.0.0.1:9201,SSL://127.0.0.1:9301\n',
    );
    expect(props).toContain(
      '\nlistener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL\n',
    );
    expect(props).toContain('\ninter.broker.listener.name=PLAINTEXT\n');
  });

  it('refuses a key pair without a port', () => {
    const node: NodeAddress = { id: 2, port: 9002, controllerPort: 9102 };
    expect(() => renderBrokerProperties({ node, nodes: [node], dataDir: '/d', keystore })).toThrow(
      'broker 2: TLS without an SSL port',
    );
  });
});
