import { delimiter, join } from 'node:path';

/** What the search for PostgreSQL's server programs may look at (fakes in unit tests). */
export interface PostgresSearch {
  readonly path: string | undefined;
  /** PG_BIN_DIR: a directory holding the programs below. */
  readonly binDir: string | undefined;
  isFile(path: string): boolean;
  listDir(path: string): readonly string[];
}

/** The programs the testkit runs; all must sit in one directory (one server version). */
export const postgresPrograms = ['initdb', 'postgres', 'pg_isready', 'createdb'] as const;

/** Debian installs the server programs here, one directory per major version, off PATH. */
export const debianPostgresRoot = '/usr/lib/postgresql';

function hasAll(dir: string, search: PostgresSearch): boolean {
  return postgresPrograms.every((p) => search.isFile(join(dir, p)));
}

/**
 * The directory of PostgreSQL's server programs: PG_BIN_DIR when set, else the first PATH
 * entry that has all of them, else Debian's newest `/usr/lib/postgresql/<major>/bin`.
 * Returns a reason instead when there is none, naming what to install.
 */
export function findPostgresBinDir(search: PostgresSearch): { dir: string } | { missing: string } {
  if (search.binDir) {
    if (hasAll(search.binDir, search)) return { dir: search.binDir };
    return {
      missing: `PG_BIN_DIR=${search.binDir} does not hold ${postgresPrograms.join(', ')}`,
    };
  }
  for (const dir of (search.path ?? '').split(delimiter)) {
    if (dir && hasAll(dir, search)) return { dir };
  }
  const majors = search
    .listDir(debianPostgresRoot)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const dir = join(debianPostgresRoot, major, 'bin');
    if (hasAll(dir, search)) return { dir };
  }
  return {
    missing:
      `PostgreSQL's server programs (${postgresPrograms.join(', ')}) are neither on PATH nor in ` +
      `${debianPostgresRoot}/<major>/bin: install Debian's postgresql package ` +
      '(apt-get install postgresql), set PG_BIN_DIR, or name an existing database with POSTGRES_URL',
  };
}

/** A user from /etc/passwd. */
export interface SystemUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * The user to run PostgreSQL as when the testkit runs as root (initdb and postgres refuse
 * root): the `postgres` user Debian's package creates, else `nobody`.
 */
export function unprivilegedUser(passwd: string): SystemUser | undefined {
  const users = new Map<string, SystemUser>();
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (!name || uid === undefined || gid === undefined) continue;
    if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid)) continue;
    users.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  return users.get('postgres') ?? users.get('nobody');
}
