// The testkit's access to the Docker engine: through testcontainers (an optional peer
// dependency) and the engine client it already holds, so there is one way to find the
// engine (DOCKER_HOST, ~/.testcontainers.properties, the default socket).
import { spawn } from 'node:child_process';
import type * as Testcontainers from 'testcontainers';
import type { ContainerRuntimeClient } from 'testcontainers';
import { KafkaTestkitError } from './errors.js';

/** The engine client (dockerode) that testcontainers uses. */
export type EngineApi = ContainerRuntimeClient['container']['dockerode'];

/** How the testkit's reaper reaches the engine after this process has gone. */
export type EngineEndpoint =
  { readonly socketPath: string } | { readonly host: string; readonly port: number };

export interface DockerEngine {
  readonly tc: typeof Testcontainers;
  readonly runtime: ContainerRuntimeClient;
  readonly api: EngineApi;
  /** Undefined when the engine is reached over TLS or SSH, which the reaper cannot do. */
  readonly endpoint: EngineEndpoint | undefined;
}

/** Loads testcontainers, an optional peer dependency. */
export async function loadTestcontainers(): Promise<typeof Testcontainers> {
  try {
    return await import('testcontainers');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
    throw new KafkaTestkitError(
      'TESTKIT_NO_BACKEND',
      missing
        ? 'The testcontainers backend needs the "testcontainers" package: npm install --save-dev testcontainers'
        : `The "testcontainers" package is installed but does not load on Node ${process.version} ` +
            `(testcontainers 12 needs Node 22.22 or later): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

let engine: Promise<DockerEngine> | undefined;

async function connect(): Promise<DockerEngine> {
  const tc = await loadTestcontainers();
  let runtime: ContainerRuntimeClient;
  try {
    runtime = await tc.getContainerRuntimeClient();
  } catch (err) {
    throw new KafkaTestkitError(
      'TESTKIT_NO_BACKEND',
      `No Docker engine answers: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const api = runtime.container.dockerode;
  const modem = api.modem as {
    socketPath?: unknown;
    host?: unknown;
    port?: unknown;
    protocol?: unknown;
  };
  const endpoint: EngineEndpoint | undefined =
    typeof modem.socketPath === 'string'
      ? { socketPath: modem.socketPath }
      : typeof modem.host === 'string' && modem.protocol === 'http'
        ? { host: modem.host, port: Number(modem.port) }
        : undefined;
  await decideRyuk(tc, runtime);
  return { tc, runtime, api, endpoint };
}

/**
 * testcontainers starts its reaper container, Ryuk, before the first container and fails
 * when Ryuk's image cannot be pulled. Where that image is not already on the engine and
 * the user said nothing, Ryuk is turned off: the testkit's own reaper removes what it made
 * either way (container-session.ts).
 */
async function decideRyuk(
  tc: typeof Testcontainers,
  runtime: ContainerRuntimeClient,
): Promise<void> {
  if (process.env.TESTCONTAINERS_RYUK_DISABLED !== undefined) return;
  const image = await ryukImage();
  if (!image || !(await runtime.image.exists(tc.ImageName.fromString(image)))) {
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  }
}

/**
 * Ryuk's image as the installed testcontainers names it (12.x: getReaperImage(), 11.x: a
 * REAPER_IMAGE constant); undefined if neither is there, and then Ryuk is not used.
 */
async function ryukImage(): Promise<string | undefined> {
  try {
    const reaper = (await import('testcontainers/build/reaper/reaper.js')) as {
      getReaperImage?: () => string;
      REAPER_IMAGE?: string;
    };
    return reaper.getReaperImage?.() ?? reaper.REAPER_IMAGE;
  } catch {
    return undefined;
  }
}

/** The engine, connected once per process. */
export function dockerEngine(): Promise<DockerEngine> {
  engine ??= connect().catch((err: unknown) => {
    engine = undefined;
    throw err;
  });
  return engine;
}

/** Follows an engine progress stream to its end; rejects on the first error it reports. */
export function followEngineProgress(
  api: EngineApi,
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    api.modem.followProgress(
      stream,
      (err: Error | null, events: { error?: string; errorDetail?: { message?: string } }[]) => {
        const failed = events?.find((e) => e.error !== undefined);
        if (err) reject(err);
        else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error));
        else resolve();
      },
      (event: { stream?: string; status?: string; progress?: string; id?: string }) => {
        const text = (
          event.stream ?? [event.id, event.status, event.progress].filter(Boolean).join(' ')
        ).trim();
        if (text) onLine(text);
      },
    );
  });
}

/** A `tar` of a directory as a stream, for an engine import or build. */
export function tarDirectory(dir: string): { stream: NodeJS.ReadableStream; done: Promise<void> } {
  const child = spawn('tar', ['--numeric-owner', '-C', dir, '-c', '.'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`tar -C ${dir} exited ${code}: ${stderr.trim()}`)),
    );
  });
  return { stream: child.stdout, done };
}
