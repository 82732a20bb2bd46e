/**
 * The environment variable the apache/kafka image turns into a server property:
 * `KAFKA_` + the name upper-cased with '.' -> '_', '_' -> '__' and '-' -> '___'
 * (the rule of the image's configure script).
 */
export function propertyToImageEnv(property: string): string {
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
