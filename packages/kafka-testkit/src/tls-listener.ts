import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KafkaTestkitError } from './errors.js';

/** What a client needs to reach the SSL listener: its addresses and the CA to trust. */
export interface TlsListenerInfo {
  /** `host:port` of every broker's SSL listener. */
  readonly bootstrapServers: string[];
  /** The brokers' self-signed certificate, PEM: pass it as the client's `ssl.ca`. */
  readonly caPem: string;
}

/** The broker side: a PKCS12 keystore and its password. */
export interface BrokerKeystore {
  readonly file: string;
  readonly password: string;
  readonly caPem: string;
}

/** Where the testkit finds `keytool`: beside `$JAVA_HOME/bin/java`, else on PATH. */
export function keytoolCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'keytool') : 'keytool';
}

/** The arguments of `keytool` that make the brokers' key pair, valid for 127.0.0.1 and localhost. */
function keypairArgs(file: string, password: string): string[] {
  return [
    '-genkeypair',
    '-alias',
    'broker',
    '-keyalg',
    'RSA',
    '-keysize',
    '2048',
    // A test cluster lives minutes; a week leaves room for a kept one (keepFiles).
    '-validity',
    '7',
    '-dname',
    'CN=localhost, O=org-kafka-testkit',
    // Clients check the address they dial against these names.
    '-ext',
    'SAN=IP:127.0.0.1,DNS:localhost',
    '-keystore',
    file,
    '-storetype',
    'PKCS12',
    '-storepass',
    password,
    '-keypass',
    password,
  ];
}

function keytool(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(keytoolCommand(env), args, { timeout: 60_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      reject(
        new KafkaTestkitError(
          'TESTKIT_START_FAILED',
          `keytool ${args[0]} failed (it comes with Java; set JAVA_HOME if it is not on PATH): ${stderr.trim() || error.message}`,
          { cause: error },
        ),
      );
    });
  });
}

/**
 * A fresh self-signed key pair for the cluster's brokers (one for all: they share the
 * names), in `dir`, with the certificate as PEM for clients to trust.
 */
export async function createBrokerKeystore(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BrokerKeystore> {
  const file = join(dir, 'broker-keystore.p12');
  const pem = join(dir, 'broker-ca.pem');
  const password = randomBytes(12).toString('hex');
  await keytool(keypairArgs(file, password), env);
  await keytool(
    [
      '-exportcert',
      '-rfc',
      '-alias',
      'broker',
      '-keystore',
      file,
      '-storepass',
      password,
      '-file',
      pem,
    ],
    env,
  );
  return { file, password, caPem: await readFile(pem, 'utf8') };
}

/** server.properties entries of the SSL listener (its address is set with the others). */
export function tlsListenerProperties(keystore: BrokerKeystore): Record<string, string> {
  return {
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': keystore.file,
    'ssl.keystore.password': keystore.password,
    'ssl.key.password': keystore.password,
    // Server authentication only: clients prove nothing with a certificate.
    'ssl.client.auth': 'none',
  };
}
