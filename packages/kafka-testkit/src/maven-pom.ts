import { versions } from './versions.js';

/** A Maven coordinate `group:artifact:version[:type[:classifier]]`. */
export interface MavenDependency {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
}

/** The jars a Kafka node and Kafka's own command-line tools need on their classpath. */
export function kafkaDependencies(v = versions): MavenDependency[] {
  return [
    { groupId: 'org.apache.kafka', artifactId: `kafka_${v.scala}`, version: v.kafka },
    // ConsumerGroupCommand, ConsoleConsumer, ProducerPerformance live here.
    { groupId: 'org.apache.kafka', artifactId: 'kafka-tools', version: v.kafka },
    // Kafka 4.1 logs through SLF4J 1.7; without a binding it would log nothing at all.
    { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j-impl', version: v.log4j },
    { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: v.log4j },
  ];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A throwaway pom whose only purpose is `dependency:copy-dependencies` of `deps`. */
export function renderFetchPom(deps: readonly MavenDependency[]): string {
  const items = deps
    .map(
      (d) =>
        `    <dependency><groupId>${escapeXml(d.groupId)}</groupId>` +
        `<artifactId>${escapeXml(d.artifactId)}</artifactId>` +
        `<version>${escapeXml(d.version)}</version></dependency>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.kafka-testkit</groupId>
  <artifactId>fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${items}
  </dependencies>
</project>
`;
}

/** Recognises Maven's download lines, so progress can be shown without its other noise. */
export function downloadProgress(line: string): string | undefined {
  const match =
    /^(?:\[INFO\] )?(Downloaded|Downloading) from [^:]+: \S+\/([^/\s]+)(?: \(([^)]+)\))?/.exec(
      line,
    );
  if (!match) return undefined;
  return match[1] === 'Downloaded' ? `downloaded ${match[2]} (${match[3] ?? '?'})` : undefined;
}
