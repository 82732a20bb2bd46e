import { execFile } from 'node:child_process';
import { chownSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDetached } from './detached-process.js';
import { KafkaTestkitError } from './errors.js';
import { allocatePorts } from './free-ports.js';
import { findPostgresBinDir, unprivilegedUser, type SystemUser } from './postgres-install.js';
import { unwatchDir, watchDir } from './process-reaper.js';
import { waitUntilServing } from './server-readiness.js';

const run = promisify(execFile);

export interface PostgresOptions {
  /**
   * Flush to disk on commit. Default false: the tests crash services and brokers, never
   * PostgreSQL itself, so a throwaway server skips fsync for speed. A benchmark that
   * reports commit latency should set true.
   */
  readonly durable?: boolean;
  /** Default 60 000. */
  readonly startTimeoutMs?: number;
}

/** A running PostgreSQL server. `url` connects as the superuser to database `postgres`. */
export interface StartedPostgres {
  readonly kind: 'local' | 'external';
  readonly url: string;
  /** The server's log (local only). */
  readonly logFile: string | undefined;
  /** The postmaster's process id (local only). */
  readonly pid: number | undefined;
  /**
   * Creates a database of its own for one suite and returns its URL (local only; for an
   * external server the database named in POSTGRES_URL is returned as it is).
   */
  createDatabase(name: string): Promise<string>;
  /** Stops the server the testkit started and removes its data; nothing for an external one. */
  stop(): Promise<void>;
}

const databaseName = /^[a-z_][a-z0-9_]{0,62}$/;

function binDir(): string {
  const found = findPostgresBinDir({
    path: process.env.PATH,
    binDir: process.env.PG_BIN_DIR?.trim() || undefined,
    isFile: (p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    },
    listDir: (dir) => {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    },
  });
  if ('missing' in found) throw new KafkaTestkitError('TESTKIT_NO_BACKEND', found.missing);
  return found.dir;
}

/** initdb and postgres refuse to run as root; then they run as an unprivileged user. */
function serverUser(): SystemUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const user = unprivilegedUser(readFileSync('/etc/passwd', 'utf8'));
  if (!user) {
    throw new KafkaTestkitError(
      'TESTKIT_START_FAILED',
      'PostgreSQL refuses to run as root and /etc/passwd has neither a postgres nor a nobody user to run it as',
    );
  }
  return user;
}

function tcpAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function external(raw: string): Promise<StartedPostgres> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KafkaTestkitError('TESTKIT_BAD_OPTION', `POSTGRES_URL is not a URL: ${raw}`);
  }
  const port = Number(url.port || 5432);
  if (!(await tcpAnswers(url.hostname, port))) {
    throw new KafkaTestkitError(
      'TESTKIT_START_FAILED',
      `POSTGRES_URL names ${url.hostname}:${port}, which does not accept connections`,
    );
  }
  return {
    kind: 'external',
    url: raw,
    logFile: undefined,
    pid: undefined,
    createDatabase: () => Promise.resolve(raw),
    stop: () => Promise.resolve(),
  };
}

/**
 * Starts a throwaway PostgreSQL server on a free port of 127.0.0.1 (Debian's `postgresql`
 * package), with its data in a temporary directory that stop() removes; a crash of the
 * test process is cleaned up by the testkit's reaper. POSTGRES_URL names an existing
 * server instead, which stop() leaves alone.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<StartedPostgres> {
  const existing = process.env.POSTGRES_URL?.trim();
  if (existing) return external(existing);

  const bin = binDir();
  const user = serverUser();
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const [port] = (await allocatePorts(1)) as [number];
  const dir = await mkdtemp(join(tmpdir(), 'kafka-testkit-postgres-'));
  watchDir(dir);
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const asUser = user ? { uid: user.uid, gid: user.gid } : undefined;
  if (user) chownSync(dir, user.uid, user.gid);

  const removeDir = async () => {
    await rm(dir, { recursive: true, force: true });
    unwatchDir(dir);
  };
  try {
    await run(
      join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '--auth=trust',
        '--encoding=UTF8',
        '--no-locale',
        '--no-sync',
      ],
      { ...(asUser ?? {}), cwd: dir },
    );
  } catch (err) {
    await removeDir();
    throw new KafkaTestkitError(
      'TESTKIT_START_FAILED',
      `initdb failed: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`,
      { cause: err },
    );
  }

  const durable = options.durable ?? false;
  const proc = startDetached({
    command: join(bin, 'postgres'),
    args: [
      '-D',
      dataDir,
      '-p',
      String(port),
      // The socket sits in the throwaway directory: no clash with a system server's.
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `fsync=${durable ? 'on' : 'off'}`,
      '-c',
      `full_page_writes=${durable ? 'on' : 'off'}`,
      '-c',
      'max_connections=200',
    ],
    cwd: dir,
    logFile,
    ...(user ? { user: asUser } : {}),
  });
  const stop = async () => {
    // SIGINT is PostgreSQL's fast shutdown: sessions end, no waiting for clients.
    await proc.stop('SIGINT', 10_000);
    await removeDir();
  };

  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  try {
    await waitUntilServing({
      name: 'PostgreSQL',
      address: `127.0.0.1:${port}`,
      process: proc,
      logFile,
      timeoutMs,
      intervalMs: 100,
      answers: () =>
        run(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]).then(
          () => true,
          () => false,
        ),
    });
  } catch (err) {
    await stop();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    kind: 'local',
    url: url('postgres'),
    logFile,
    pid: proc.pid,
    async createDatabase(name: string) {
      if (!databaseName.test(name)) {
        throw new KafkaTestkitError(
          'TESTKIT_BAD_OPTION',
          `createDatabase: "${name}" is not a plain lower-case identifier (a-z, 0-9, _; at most 63)`,
        );
      }
      try {
        await run(join(bin, 'createdb'), [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'postgres',
          name,
        ]);
      } catch (err) {
        throw new KafkaTestkitError(
          'TESTKIT_START_FAILED',
          `createdb ${name} failed: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`,
          { cause: err },
        );
      }
      return url(name);
    },
    stop: () => (stopping ??= stop()),
  };
}
