import { KafkaTestkitError } from './errors.js';

/** A user the SASL listener accepts, with every mechanism it offers. */
export interface SaslUser {
  readonly username: string;
  readonly password: string;
}

/** A SASL_PLAINTEXT listener beside the plaintext one (local backend). */
export interface SaslListenerOptions {
  readonly users: readonly SaslUser[];
}

/** The mechanisms the listener offers; SCRAM credentials are written at format time. */
export const saslMechanisms = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

// Names and passwords go into a JAAS line (quoted) and into kafka-storage's
// `--add-scram 'SCRAM-SHA-256=[name=...,password=...]'`: quotes, commas, brackets, '=' and
// spaces would break one or the other, so they are refused rather than escaped.
const credential = /^[A-Za-z0-9._~@+!#%^*-]{1,128}$/;

/** Checks the option; a KafkaTestkitError names the field at fault. */
export function validateSaslListener(option: SaslListenerOptions): readonly SaslUser[] {
  const users: unknown = option?.users;
  if (!Array.isArray(users) || users.length === 0) {
    throw new KafkaTestkitError('TESTKIT_BAD_OPTION', 'sasl.users: expected at least one user');
  }
  const seen = new Set<string>();
  (users as unknown[]).forEach((user, i) => {
    for (const field of ['username', 'password'] as const) {
      const value = (user as Partial<SaslUser> | undefined)?.[field];
      if (typeof value !== 'string' || !credential.test(value)) {
        throw new KafkaTestkitError(
          'TESTKIT_BAD_OPTION',
          `sasl.users[${i}].${field}: expected 1 to 128 of letters, digits and . _ ~ @ + ! # % ^ * - (it goes into the broker's JAAS config and the SCRAM credentials)`,
        );
      }
    }
    const name = (user as SaslUser).username;
    if (seen.has(name)) {
      throw new KafkaTestkitError(
        'TESTKIT_BAD_OPTION',
        `sasl.users[${i}].username: "${name}" is listed twice`,
      );
    }
    seen.add(name);
  });
  return users as SaslUser[];
}

/** server.properties entries of the SASL listener (its address is set with the others). */
export function saslListenerProperties(users: readonly SaslUser[]): Record<string, string> {
  const plainUsers = users.map((u) => `user_${u.username}="${u.password}"`).join(' ');
  return {
    'sasl.enabled.mechanisms': saslMechanisms.join(','),
    'listener.name.sasl_plaintext.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
    // SCRAM users live in the cluster metadata (written by kafka-storage format below).
    'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config':
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config':
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
  };
}

/** `kafka-storage format` arguments that create every user's SCRAM credentials. */
export function scramFormatArgs(users: readonly SaslUser[]): string[] {
  return users.flatMap((u) =>
    ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((mechanism) => [
      '--add-scram',
      `${mechanism}=[name=${u.username},password=${u.password}]`,
    ]),
  );
}
