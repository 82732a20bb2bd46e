// What the testkit's locally built images contain, as text: the Dockerfiles, the entry
// scripts and the tags derived from them. Built where the official images cannot be pulled
// (no image registry reachable); they keep the official images' configuration contracts,
// so the container backend has one code path for both.
import { createHash } from 'node:crypto';
import { brokerGcFlags, renderLog4j2Properties, storageToolJvmFlags } from './broker-config.js';
import { versions } from './versions.js';

/** A file of a build context: its path inside the context, its text, its mode. */
export interface ContextFile {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

/** One image to build: the tag, the generated files, and cached directories to copy in. */
export interface ImageRecipe {
  readonly tag: string;
  readonly files: readonly ContextFile[];
  /** `{ from: host directory, to: directory inside the context }`, copied before the build. */
  readonly copies: readonly { readonly from: string; readonly to: string }[];
}

/**
 * The testkit's images are named under `localhost/`: a name with a registry part is left
 * alone by testcontainers' TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX (meant for pulls through a
 * mirror), and these images are never pulled.
 */
const ownImages = 'localhost/kafka-testkit';

/** Tags end in a digest of the recipe, so a changed recipe is a new image, never a stale one. */
function digest(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 12);
}

/** The Debian packages of the base root file system, besides debootstrap's minimal base. */
export const basePackages: readonly string[] = [versions.debianJrePackage];

/**
 * What is removed from the root file system before it is imported: documentation and
 * package lists no container of the testkit reads (about a fifth of its size).
 */
export const baseTrimPaths: readonly string[] = [
  'usr/share/doc',
  'usr/share/man',
  'usr/share/info',
  'usr/share/locale',
  'var/cache/apt/archives',
  'var/lib/apt/lists',
];

/** The tag of the base image: Debian's minimal system with a headless Java runtime. */
export function baseImageTag(): string {
  return `${ownImages}/debian-jre:${versions.debianSuite}-${digest(
    versions.debianSuite,
    ...basePackages,
    ...baseTrimPaths,
  )}`;
}

/** `debootstrap` arguments that make the base root file system in `target`. */
export function debootstrapArgs(target: string, mirror: string): string[] {
  return [
    '--variant=minbase',
    `--include=${basePackages.join(',')}`,
    versions.debianSuite,
    target,
    mirror,
  ];
}

/**
 * JVM variables the apache/kafka image passes to the JVM rather than turning into server
 * properties, so they are skipped here too.
 */
export const kafkaImageJvmVariables: readonly string[] = [
  'KAFKA_HEAP_OPTS',
  'KAFKA_OPTS',
  'KAFKA_JVM_PERFORMANCE_OPTS',
  'KAFKA_GC_LOG_OPTS',
  'KAFKA_LOG4J_OPTS',
  'KAFKA_JMX_OPTS',
  'KAFKA_JMX_PORT',
  'KAFKA_JMX_HOSTNAME',
  'KAFKA_LOG4J_ROOT_LOGLEVEL',
  'KAFKA_LOG4J_LOGGERS',
  'KAFKA_TOOLS_LOG4J_LOGLEVEL',
  'KAFKA_VERSION',
];

/**
 * The shell function of the Kafka image's entry script that turns a variable name into a
 * property name: the inverse of `propertyToImageEnv` (container-env.ts), which a unit test
 * checks by running it. '%' cannot occur in a variable name, so it holds '__' meanwhile.
 */
export const envToPropertyShell = `env_to_property() {
  printf '%s\\n' "$1" | sed -e 's/^KAFKA_//' -e 's/___/-/g' -e 's/__/%/g' -e 's/_/./g' -e 's/%/_/g' |
    tr '[:upper:]' '[:lower:]'
}`;

const kafkaHome = '/opt/kafka';

function kafkaRunScript(): string {
  const classpath = `'${kafkaHome}/libs/*'`;
  const log4j = `-Dlog4j2.configurationFile=${kafkaHome}/config/log4j2.properties`;
  return `#!/bin/sh
# Entry script of the testkit's Kafka image, with the apache/kafka image's contract: every
# KAFKA_* variable but the JVM's own becomes a server property, and CLUSTER_ID formats the
# KRaft storage the first time (a restarted container keeps its data).
set -eu
config=${kafkaHome}/config/server.properties
: > "$config"
${envToPropertyShell}
for name in $(env | sed -n 's/^\\(KAFKA_[A-Za-z0-9_]*\\)=.*/\\1/p'); do
  case "$name" in
    ${kafkaImageJvmVariables.join('|')}) continue ;;
  esac
  eval "value=\\\${$name}"
  printf '%s=%s\\n' "$(env_to_property "$name")" "$value" >> "$config"
done
grep -q '^log.dirs=' "$config" || echo 'log.dirs=/tmp/kraft-combined-logs' >> "$config"
if [ -z "\${CLUSTER_ID:-}" ]; then
  echo 'CLUSTER_ID is not set: a KRaft node needs it to format its storage' >&2
  exit 2
fi
java ${storageToolJvmFlags.join(' ')} ${log4j} -cp ${classpath} kafka.tools.StorageTool \\
  format -t "$CLUSTER_ID" -c "$config" --ignore-formatted
# Unquoted on purpose: each variable holds several JVM flags.
# shellcheck disable=SC2086
exec java \${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G} \${KAFKA_JVM_PERFORMANCE_OPTS:-${brokerGcFlags.join(' ')}} \\
  \${KAFKA_OPTS:-} ${log4j} -cp ${classpath} kafka.Kafka "$config"
`;
}

/** The Kafka image, from the jars in `libDir` (the local backend's cache) on the base image. */
export function kafkaImageRecipe(libDir: string): ImageRecipe {
  const files: ContextFile[] = [
    { path: 'run', content: kafkaRunScript(), mode: 0o755 },
    { path: 'config/log4j2.properties', content: renderLog4j2Properties('console'), mode: 0o644 },
  ];
  const dockerfile = [
    `FROM ${baseImageTag()}`,
    `COPY libs ${kafkaHome}/libs`,
    `COPY config ${kafkaHome}/config`,
    'COPY run /etc/kafka/docker/run',
    'ENTRYPOINT ["/etc/kafka/docker/run"]',
    '',
  ].join('\n');
  const tag = `${ownImages}/kafka:${versions.kafka}-${digest(
    dockerfile,
    ...files.map((f) => f.content),
  )}`;
  return {
    tag,
    files: [...files, { path: 'Dockerfile', content: dockerfile, mode: 0o644 }],
    copies: [{ from: libDir, to: 'libs' }],
  };
}

/** Port of the registry's HTTP API in the image, as in Apicurio's own image. */
export const registryContainerPort = 8080;

/**
 * The registry image, from the runnable archive in `registryDir` (the local backend's
 * cache). Like Apicurio's image it is configured by Quarkus's environment variables and
 * takes JVM flags from JAVA_OPTS_APPEND.
 */
export function registryImageRecipe(registryDir: string, runnerJar: string): ImageRecipe {
  const run = `#!/bin/sh
# Entry script of the testkit's Apicurio Registry image; Quarkus reads its configuration
# from the environment, as in Apicurio's own image.
# shellcheck disable=SC2086
exec java \${JAVA_OPTS_APPEND:-} -jar /opt/apicurio/${runnerJar}
`;
  const files: ContextFile[] = [{ path: 'run', content: run, mode: 0o755 }];
  const dockerfile = [
    `FROM ${baseImageTag()}`,
    'COPY registry /opt/apicurio',
    'COPY run /usr/local/bin/run-registry',
    `EXPOSE ${registryContainerPort}`,
    'ENTRYPOINT ["/usr/local/bin/run-registry"]',
    '',
  ].join('\n');
  const tag = `${ownImages}/apicurio-registry:${versions.apicurio}-${digest(dockerfile, run)}`;
  return {
    tag,
    files: [...files, { path: 'Dockerfile', content: dockerfile, mode: 0o644 }],
    copies: [{ from: registryDir, to: 'registry' }],
  };
}

/**
 * The Debian mirror to debootstrap from: `KAFKA_TESTKIT_DEBIAN_MIRROR`, else the first
 * Debian archive this machine's apt sources name (deb822 `URIs:` or one-line `deb`), not
 * the security archive, else deb.debian.org.
 */
export function debianMirror(env: NodeJS.ProcessEnv, aptSources: readonly string[]): string {
  const fromEnv = env.KAFKA_TESTKIT_DEBIAN_MIRROR?.trim();
  if (fromEnv) return fromEnv.replace(/\/+$/, '');
  for (const text of aptSources) {
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      const uri =
        /^URIs:\s*(\S+)/i.exec(line)?.[1] ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line)?.[1];
      if (uri && /^https?:\/\//.test(uri) && !/security/.test(uri)) return uri.replace(/\/+$/, '');
    }
  }
  return 'http://deb.debian.org/debian';
}
