import { KafkaTestkitError } from './errors.js';

/** Where a cluster comes from. */
export type BackendName = 'external' | 'local' | 'testcontainers';

export const backendNames: readonly BackendName[] = ['external', 'local', 'testcontainers'];

/** The facts a backend choice depends on, gathered by `probeEnvironment`. */
export interface EnvironmentFacts {
  /** `KAFKA_TESTKIT_BACKEND`, if set. */
  readonly requested?: string | undefined;
  /** `KAFKA_BOOTSTRAP_SERVERS`, if set. */
  readonly bootstrapServers?: string | undefined;
  /** Java feature version, undefined when no `java` runs. */
  readonly javaVersion?: number | undefined;
  readonly mavenFound: boolean;
  /** True when the Kafka jars are already in the cache (then Maven is not needed). */
  readonly kafkaCached: boolean;
  readonly dockerFound: boolean;
}

export const minimumJavaVersion = 17;

/** Why the local backend cannot run here, or undefined when it can. */
export function localBackendProblem(facts: EnvironmentFacts): string | undefined {
  if (facts.javaVersion === undefined) {
    return 'no Java runtime (install Java 17+ or set JAVA_HOME)';
  }
  if (facts.javaVersion < minimumJavaVersion) {
    return `Java ${facts.javaVersion} is too old (Kafka 4.1 needs Java ${minimumJavaVersion}+)`;
  }
  if (!facts.mavenFound && !facts.kafkaCached) {
    return 'no Maven (`mvn`) to fetch the Kafka jars, and they are not in the cache yet';
  }
  return undefined;
}

function problemOf(backend: BackendName, facts: EnvironmentFacts): string | undefined {
  switch (backend) {
    case 'external':
      return facts.bootstrapServers?.trim() ? undefined : 'KAFKA_BOOTSTRAP_SERVERS is not set';
    case 'local':
      return localBackendProblem(facts);
    case 'testcontainers':
      return facts.dockerFound ? undefined : 'no Docker engine is reachable';
  }
}

/**
 * Picks the backend: the one named by KAFKA_TESTKIT_BACKEND, else external when
 * KAFKA_BOOTSTRAP_SERVERS is set, else local (Java + Maven), else testcontainers (Docker).
 * Throws an error naming what is missing when none can work.
 */
export function chooseBackend(facts: EnvironmentFacts): BackendName {
  const requested = facts.requested?.trim();
  if (requested) {
    if (!(backendNames as readonly string[]).includes(requested)) {
      throw new KafkaTestkitError(
        'TESTKIT_BAD_OPTION',
        `KAFKA_TESTKIT_BACKEND="${requested}" is not a backend; use one of: ${backendNames.join(', ')}`,
      );
    }
    const backend = requested as BackendName;
    const problem = problemOf(backend, facts);
    if (problem) {
      throw new KafkaTestkitError(
        'TESTKIT_NO_BACKEND',
        `KAFKA_TESTKIT_BACKEND=${backend} was requested but cannot run: ${problem}`,
      );
    }
    return backend;
  }
  const problems: string[] = [];
  for (const backend of backendNames) {
    const problem = problemOf(backend, facts);
    if (!problem) return backend;
    problems.push(`${backend}: ${problem}`);
  }
  throw new KafkaTestkitError(
    'TESTKIT_NO_BACKEND',
    `No Kafka backend can run on this machine.\n  ${problems.join('\n  ')}\n` +
      'Install Java 17+ and Maven (local backend), start a Docker engine (testcontainers ' +
      'backend), or point KAFKA_BOOTSTRAP_SERVERS at an existing cluster.',
  );
}
