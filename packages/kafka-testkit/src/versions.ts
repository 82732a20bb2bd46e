/**
 * Every version the testkit runs, in one place. Changing a version here changes what
 * `kafka-testkit fetch` downloads, what the local backend runs and which images the
 * testcontainers backend pulls.
 */
export const versions = {
  /** Apache Kafka release run by the local backend (jars from Maven Central). */
  kafka: '4.1.2',
  scala: '2.13',
  /** Kafka 4.1 logs through SLF4J 1.7 with Log4j 2 as the backend; this is its bridge. */
  log4j: '2.24.3',
  /**
   * Apicurio Registry 3.0.x is the newest 3.x line whose runnable archive runs on Java 17:
   * 3.3.x is compiled for Java 21 (class file version 65) and fails to start on 17.
   */
  apicurio: '3.0.9',
  /** Pinned so a fetch is reproducible whatever the user's Maven defaults are. */
  mavenDependencyPlugin: '3.8.1',
  /**
   * For the registry archive only: plugin 3.x reads the artifact's parent pom
   * (io.apicurio:apicurio-registry:3.0.9), which was never published to Maven Central;
   * 2.10 copies the one file without resolving its descriptor.
   */
  mavenDependencyPluginForFiles: '2.10',
  /** The official images the testcontainers backend uses where they can be pulled. */
  kafkaImage: 'apache/kafka:4.1.2',
  /**
   * Apicurio's own image of the registry the local backend runs, so a suite sees the same
   * registry on either backend (Confluent's image answers some errors differently).
   */
  registryImage: 'apicurio/apicurio-registry:3.0.9',
  /**
   * Where those cannot be pulled, the testkit builds equivalents from the same jars on a
   * Debian root file system made by debootstrap: this suite, with this Java.
   */
  debianSuite: 'bookworm',
  debianJrePackage: 'openjdk-17-jre-headless',
} as const;
