import { KafkaTestkitError } from './errors.js';

/**
 * The environment variable the apache/kafka image turns into a server property:
 * `KAFKA_` + the name upper-cased with '.' -> '_', '_' -> '__' and '-' -> '___'
 * (the rule of the image's configure script). A name with '_' or '.' right before another
 * of '_', '.', '-' would come back as a different name (`a..b` as `a_b`), so it is refused
 * rather than silently set under another name. No Kafka property has one.
 */
export function propertyToImageEnv(property: string): string {
  const clash = /[._][._-]/.exec(property);
  if (clash) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `brokerConfig: "${property}" cannot be passed to the Kafka image: "${clash[0]}" at character ${clash.index + 1} would come back as another name`,
    );
  }
  return (
    'KAFKA_' + property.replace(/_/g, '__').replace(/-/g, '___').replace(/\./g, '_').toUpperCase()
  );
}

/** Server properties as the apache/kafka image's environment. */
export function propertiesToImageEnv(
  properties: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) env[propertyToImageEnv(key)] = value;
  return env;
}
