// Which images the container backend runs: the official ones where the engine has them or
// can pull them, else the testkit's own, built once from what the local backend fetches.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  cacheRoot,
  ensureKafkaDistribution,
  ensureRegistryDistribution,
  runCommand,
  type ProgressListener,
} from './artifact-cache.js';
import { withCacheLock } from './cache-lock.js';
import {
  dockerEngine,
  followEngineProgress,
  tarDirectory,
  type EngineApi,
} from './docker-engine.js';
import { KafkaTestkitError } from './errors.js';
import {
  baseImageTag,
  baseTrimPaths,
  debianMirror,
  debootstrapArgs,
  kafkaImageRecipe,
  registryImageRecipe,
  type ImageRecipe,
} from './image-recipes.js';
import { unwatchDir, watchDir } from './process-reaper.js';
import { versions } from './versions.js';

/** `KAFKA_TESTKIT_IMAGES`: where the container backend's images come from. */
export type ImagePolicy = 'auto' | 'official' | 'build';

const imagePolicies: readonly ImagePolicy[] = ['auto', 'official', 'build'];

/** Reads `KAFKA_TESTKIT_IMAGES` (default `auto`); an unknown value is an error naming it. */
export function imagePolicy(env: NodeJS.ProcessEnv = process.env): ImagePolicy {
  const value = env.KAFKA_TESTKIT_IMAGES?.trim() || 'auto';
  if (!(imagePolicies as readonly string[]).includes(value)) {
    throw new KafkaTestkitError(
      'TESTKIT_BAD_OPTION',
      `KAFKA_TESTKIT_IMAGES="${value}" is not one of ${imagePolicies.join(', ')}`,
    );
  }
  return value as ImagePolicy;
}

/** The images a container cluster runs, and where each came from. */
export interface ContainerImages {
  readonly kafka: string;
  readonly registry: string;
  readonly origin: { readonly kafka: ImageOrigin; readonly registry: ImageOrigin };
}

export type ImageOrigin = 'official' | 'built' | 'cached build';

async function imageExists(api: EngineApi, tag: string): Promise<boolean> {
  try {
    await api.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

async function pull(api: EngineApi, tag: string, progress: ProgressListener): Promise<void> {
  progress(`pulling ${tag}`);
  const stream = await api.pull(tag);
  let last = '';
  await followEngineProgress(api, stream, (line) => {
    // Layer progress bars arrive many times a second; one line per status is enough.
    const status = line.replace(/\[[=> ]*\].*$/, '').trim();
    if (status !== last) progress(status);
    last = status;
  });
}

async function run(
  command: string,
  args: readonly string[],
  progress: ProgressListener,
): Promise<void> {
  let result;
  try {
    result = await runCommand(command, args, tmpdir(), (line) => {
      if (line.trim()) progress(line);
    });
  } catch (err) {
    throw new KafkaTestkitError(
      'TESTKIT_NO_BACKEND',
      `${command} could not be started (${(err as Error).message}); building the testkit's images needs Debian's "${command}" package`,
      { cause: err },
    );
  }
  if (result.code !== 0) {
    throw new KafkaTestkitError(
      'TESTKIT_START_FAILED',
      `${command} ${args.join(' ')} exited ${result.code}:\n${result.output.slice(-30).join('\n')}`,
    );
  }
}

async function aptSources(): Promise<string[]> {
  const files = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) {
    for (const name of (await readdir(dir)).sort()) {
      if (name.endsWith('.list') || name.endsWith('.sources')) files.push(join(dir, name));
    }
  }
  const texts: string[] = [];
  for (const file of files) texts.push(await readFile(file, 'utf8').catch(() => ''));
  return texts;
}

/** Debian's minimal system with a headless JRE, made by debootstrap and imported. */
async function buildBaseImage(api: EngineApi, progress: ProgressListener): Promise<void> {
  const tag = baseImageTag();
  if (process.getuid?.() !== 0) {
    throw new KafkaTestkitError(
      'TESTKIT_NO_BACKEND',
      `Building ${tag} runs debootstrap, which needs root: run "sudo npx kafka-testkit image build" once, ` +
        'or let the engine pull the official images (KAFKA_TESTKIT_IMAGES=official, with a registry mirror if need be)',
    );
  }
  const mirror = debianMirror(process.env, await aptSources());
  const work = await mkdtemp(join(tmpdir(), 'kafka-testkit-rootfs-'));
  watchDir(work);
  try {
    const root = join(work, 'root');
    progress(
      `debootstrap ${versions.debianSuite} with ${versions.debianJrePackage} from ${mirror}`,
    );
    await run('debootstrap', debootstrapArgs(root, mirror), progress);
    for (const path of baseTrimPaths) await rm(join(root, path), { recursive: true, force: true });
    progress(`importing the root file system as ${tag}`);
    const [repo, version] = splitTag(tag);
    const tar = tarDirectory(root);
    const stream = await api.importImage(tar.stream, { repo, tag: version });
    await Promise.all([followEngineProgress(api, stream, () => {}), tar.done]);
  } finally {
    await rm(work, { recursive: true, force: true });
    unwatchDir(work);
  }
}

function splitTag(tag: string): [string, string] {
  const colon = tag.lastIndexOf(':');
  return [tag.slice(0, colon), tag.slice(colon + 1)];
}

async function buildFromRecipe(
  api: EngineApi,
  recipe: ImageRecipe,
  progress: ProgressListener,
): Promise<void> {
  const context = await mkdtemp(join(tmpdir(), 'kafka-testkit-image-'));
  watchDir(context);
  try {
    for (const file of recipe.files) {
      await mkdir(dirname(join(context, file.path)), { recursive: true });
      await writeFile(join(context, file.path), file.content, { mode: file.mode });
    }
    for (const copy of recipe.copies) {
      await cp(copy.from, join(context, copy.to), { recursive: true });
    }
    progress(`building ${recipe.tag}`);
    const tar = tarDirectory(context);
    const stream = await api.buildImage(tar.stream, { t: recipe.tag, rm: true, forcerm: true });
    await Promise.all([followEngineProgress(api, stream, (line) => progress(line)), tar.done]);
  } finally {
    await rm(context, { recursive: true, force: true });
    unwatchDir(context);
  }
}

/**
 * Builds the testkit's Kafka and registry images (and their base) unless the engine has
 * them already; `force` builds them again. One build at a time per cache directory.
 */
export async function buildContainerImages(
  options: { progress?: ProgressListener; force?: boolean } = {},
): Promise<{ kafka: string; registry: string; built: string[] }> {
  const progress = options.progress ?? (() => {});
  const { api } = await dockerEngine();
  const libDir = await ensureKafkaDistribution({ progress });
  const runner = await ensureRegistryDistribution({ progress });
  const kafka = kafkaImageRecipe(libDir);
  const registry = registryImageRecipe(dirname(runner), basename(runner));
  const built: string[] = [];
  await mkdir(cacheRoot(), { recursive: true });
  await withCacheLock(
    join(cacheRoot(), '.image-build.lock'),
    async () => {
      const timed = async (tag: string, build: () => Promise<void>) => {
        const startedAt = Date.now();
        await build();
        built.push(tag);
        progress(`built ${tag} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
      };
      if (options.force || !(await imageExists(api, baseImageTag()))) {
        await timed(baseImageTag(), () => buildBaseImage(api, progress));
      }
      for (const recipe of [kafka, registry]) {
        if (options.force || !(await imageExists(api, recipe.tag))) {
          await timed(recipe.tag, () => buildFromRecipe(api, recipe, progress));
        }
      }
    },
    { onWait: (owner) => progress(`waiting for process ${owner}, which is building the images`) },
  );
  return { kafka: kafka.tag, registry: registry.tag, built };
}

/**
 * The images to run, by `KAFKA_TESTKIT_IMAGES`: `official` pulls the official images or
 * fails; `build` uses the testkit's own; `auto` (default) takes the official ones where the
 * engine has them or can pull them, and the testkit's own where a pull fails.
 */
export async function resolveContainerImages(
  options: { progress?: ProgressListener } = {},
): Promise<ContainerImages> {
  const progress = options.progress ?? (() => {});
  const policy = imagePolicy();
  const { api, tc } = await dockerEngine();
  // Through testcontainers' image names, so TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX (a
  // registry mirror) applies to what is looked for, pulled and run alike.
  const official = {
    kafka: tc.ImageName.fromString(versions.kafkaImage).string,
    registry: tc.ImageName.fromString(versions.registryImage).string,
  };
  const origin: { kafka: ImageOrigin; registry: ImageOrigin } = {
    kafka: 'official',
    registry: 'official',
  };
  const chosen: { kafka: string; registry: string } = { ...official };
  const keys = ['kafka', 'registry'] as const;
  // The official images that are neither on the engine nor pullable, with the reason.
  const unpulled = new Map<(typeof keys)[number], string>();
  for (const key of keys) {
    if (policy === 'build') {
      unpulled.set(key, 'KAFKA_TESTKIT_IMAGES=build');
      continue;
    }
    if (await imageExists(api, official[key])) continue;
    try {
      await pull(api, official[key], progress);
    } catch (err) {
      if (policy === 'official') {
        throw new KafkaTestkitError(
          'TESTKIT_NO_BACKEND',
          `KAFKA_TESTKIT_IMAGES=official, and pulling ${official[key]} failed: ${(err as Error).message}`,
          { cause: err },
        );
      }
      unpulled.set(key, `cannot pull ${official[key]}: ${(err as Error).message}`);
    }
  }
  if (unpulled.size > 0) {
    progress(`${[...unpulled.values()].join('; ')}; using the testkit's own images`);
    const own = await buildContainerImages({ progress });
    for (const key of unpulled.keys()) {
      chosen[key] = own[key];
      origin[key] = own.built.includes(own[key]) ? 'built' : 'cached build';
    }
  }
  return { ...chosen, origin };
}
