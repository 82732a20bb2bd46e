import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { withCacheLock } from './cache-lock.js';
import { KafkaTestkitError } from './errors.js';
import { lastLines } from './log-tail.js';
import { downloadProgress, kafkaDependencies, renderFetchPom } from './maven-pom.js';
import { versions } from './versions.js';

/** Receives one line per visible step of a fetch. */
export type ProgressListener = (line: string) => void;

const completeMarker = '.complete';

/**
 * The cache directory, outside any repository: `$KAFKA_TESTKIT_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/org-kafka-testkit`, else `~/.cache/org-kafka-testkit`.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KAFKA_TESTKIT_CACHE_DIR) return env.KAFKA_TESTKIT_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'org-kafka-testkit');
}

/** Where the Kafka jars for the pinned version live once fetched. */
export function kafkaDistributionDir(root = cacheRoot()): string {
  return join(root, `kafka-${versions.kafka}`);
}

/** Where the Apicurio Registry runner for the pinned version lives once fetched. */
export function registryDistributionDir(root = cacheRoot()): string {
  return join(root, `apicurio-registry-${versions.apicurio}`);
}

/** True when the pinned Kafka jars are already in the cache. */
export function isKafkaCached(root = cacheRoot()): boolean {
  return existsSync(join(kafkaDistributionDir(root), completeMarker));
}

/** Runs a tool, passing each line of its output on; resolves with its exit code and last lines. */
export function runCommand(
  command: string,
  args: readonly string[],
  cwd: string,
  onLine: (line: string) => void,
): Promise<{ code: number | null; output: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        if (output.length > 400) output.shift();
        onLine(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('close', (code) => {
      if (pending) output.push(pending);
      resolve({ code, output });
    });
  });
}

async function maven(
  args: readonly string[],
  cwd: string,
  progress: ProgressListener,
): Promise<void> {
  let result;
  try {
    result = await runCommand('mvn', ['-B', ...args], cwd, (line) => {
      const step = downloadProgress(line);
      if (step) progress(step);
    });
  } catch (err) {
    throw new KafkaTestkitError(
      'TESTKIT_FETCH_FAILED',
      `Could not run Maven (mvn): ${(err as Error).message}. Install Maven, or run ` +
        '`npx kafka-testkit fetch` on a machine that has it and share the cache directory.',
      { cause: err },
    );
  }
  if (result.code !== 0) {
    throw new KafkaTestkitError(
      'TESTKIT_FETCH_FAILED',
      `mvn ${args.join(' ')} exited with ${result.code}. Its last lines:\n` +
        lastLines(result.output.join('\n'), 25).join('\n'),
    );
  }
}

/**
 * Makes `dir` hold a complete copy of an artifact, fetching it at most once per machine.
 * The copy is built in a private temporary directory and renamed into place, under a lock,
 * so two runs at once neither download twice nor see a half-written directory.
 */
async function ensureArtifact(
  root: string,
  dir: string,
  label: string,
  fetchInto: (tmp: string) => Promise<void>,
  progress: ProgressListener,
): Promise<string> {
  if (existsSync(join(dir, completeMarker))) return dir;
  await mkdir(root, { recursive: true });
  return withCacheLock(
    join(root, '.fetch.lock'),
    async () => {
      if (existsSync(join(dir, completeMarker))) return dir;
      const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
      await rm(tmp, { recursive: true, force: true });
      await mkdir(tmp, { recursive: true });
      try {
        progress(`fetching ${label} from Maven Central into ${dir}`);
        const started = Date.now();
        await fetchInto(tmp);
        await writeFile(join(tmp, completeMarker), new Date().toISOString());
        // A directory without the marker is a leftover of an interrupted fetch.
        await rm(dir, { recursive: true, force: true });
        await rename(tmp, dir);
        progress(`fetched ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return dir;
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    },
    { onWait: (pid) => progress(`waiting for another fetch (pid ${pid}) to finish`) },
  );
}

/** The Kafka jars (broker, tools, logging), fetched once; returns the directory of jars. */
export async function ensureKafkaDistribution(
  options: { progress?: ProgressListener; root?: string } = {},
): Promise<string> {
  const root = options.root ?? cacheRoot();
  const progress = options.progress ?? (() => {});
  const dir = kafkaDistributionDir(root);
  await ensureArtifact(
    root,
    dir,
    `Apache Kafka ${versions.kafka}`,
    async (tmp) => {
      await writeFile(join(tmp, 'pom.xml'), renderFetchPom(kafkaDependencies()));
      await maven(
        [
          `org.apache.maven.plugins:maven-dependency-plugin:${versions.mavenDependencyPlugin}:copy-dependencies`,
          '-DincludeScope=runtime',
          `-DoutputDirectory=${join(tmp, 'libs')}`,
        ],
        tmp,
        progress,
      );
      const jars = await readdir(join(tmp, 'libs'));
      if (!jars.some((j) => j.startsWith(`kafka_${versions.scala}-${versions.kafka}`))) {
        throw new KafkaTestkitError(
          'TESTKIT_FETCH_FAILED',
          `Maven finished but no kafka_${versions.scala}-${versions.kafka}.jar is in ${tmp}/libs`,
        );
      }
    },
    progress,
  );
  return join(dir, 'libs');
}

/** Apicurio Registry's runnable archive, fetched and unpacked once; returns the runner jar. */
export async function ensureRegistryDistribution(
  options: { progress?: ProgressListener; root?: string } = {},
): Promise<string> {
  const root = options.root ?? cacheRoot();
  const progress = options.progress ?? (() => {});
  const dir = registryDistributionDir(root);
  const runner = `apicurio-registry-app-${versions.apicurio}-runner.jar`;
  await ensureArtifact(
    root,
    dir,
    `Apicurio Registry ${versions.apicurio}`,
    async (tmp) => {
      await writeFile(join(tmp, 'pom.xml'), renderFetchPom([]));
      await maven(
        [
          `org.apache.maven.plugins:maven-dependency-plugin:${versions.mavenDependencyPluginForFiles}:copy`,
          `-Dartifact=io.apicurio:apicurio-registry-app:${versions.apicurio}:tar.gz:all`,
          `-DoutputDirectory=${join(tmp, 'download')}`,
        ],
        tmp,
        progress,
      );
      const archive = join(
        tmp,
        'download',
        `apicurio-registry-app-${versions.apicurio}-all.tar.gz`,
      );
      progress(`unpacking ${archive}`);
      const untar = await runCommand('tar', ['-xzf', archive, '-C', tmp], tmp, () => {});
      if (untar.code !== 0) {
        throw new KafkaTestkitError(
          'TESTKIT_FETCH_FAILED',
          `tar could not unpack ${archive}: ${untar.output.join('\n')}`,
        );
      }
      await rm(join(tmp, 'download'), { recursive: true, force: true });
      if (!existsSync(join(tmp, runner))) {
        throw new KafkaTestkitError(
          'TESTKIT_FETCH_FAILED',
          `The Apicurio archive did not contain ${runner}`,
        );
      }
    },
    progress,
  );
  return join(dir, runner);
}
