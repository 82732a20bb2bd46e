import { describe, expect, it } from 'vitest';
import { findPostgresBinDir, unprivilegedUser, type PostgresSearch } from './postgres-install.js';

function search(files: string[], over: Partial<PostgresSearch> = {}): PostgresSearch {
  const set = new Set(files);
  return {
    path: undefined,
    binDir: undefined,
    isFile: (p) => set.has(p),
    listDir: (dir) => [
      ...new Set(
        files
          .filter((f) => f.startsWith(`${dir}/`))
          .map((f) => f.slice(dir.length + 1).split('/')[0] ?? ''),
      ),
    ],
    ...over,
  };
}

const trio = (dir: string) => [
  `${dir}/initdb`,
  `${dir}/postgres`,
  `${dir}/pg_isready`,
  `${dir}/createdb`,
];

describe('findPostgresBinDir', () => {
  it('takes PG_BIN_DIR when it holds every program', () => {
    expect(findPostgresBinDir(search(trio('/opt/pg'), { binDir: '/opt/pg' }))).toEqual({
      dir: '/opt/pg',
    });
  });

  it('refuses a PG_BIN_DIR that lacks a program, naming the variable', () => {
    const found = findPostgresBinDir(
      search(['/opt/pg/initdb', '/opt/pg/postgres'], { binDir: '/opt/pg' }),
    );
    expect(found).toEqual({ missing: expect.stringContaining('PG_BIN_DIR=/opt/pg') as string });
  });

  it('takes the first PATH entry with all of them, skipping one with only some', () => {
    const files = ['/a/postgres', ...trio('/b'), ...trio('/c')];
    expect(findPostgresBinDir(search(files, { path: '/a:/b:/c' }))).toEqual({ dir: '/b' });
  });

  it("falls back to Debian's newest major version", () => {
    const files = [...trio('/usr/lib/postgresql/9/bin'), ...trio('/usr/lib/postgresql/15/bin')];
    expect(findPostgresBinDir(search(files, { path: '/usr/bin' }))).toEqual({
      dir: '/usr/lib/postgresql/15/bin',
    });
  });

  it('skips a Debian version directory without the server programs', () => {
    const files = [...trio('/usr/lib/postgresql/14/bin'), '/usr/lib/postgresql/16/bin/psql'];
    expect(findPostgresBinDir(search(files))).toEqual({ dir: '/usr/lib/postgresql/14/bin' });
  });

  it('names the package to install when there is none', () => {
    const found = findPostgresBinDir(search([]));
    expect(found).toEqual({
      missing: expect.stringContaining('apt-get install postgresql') as string,
    });
  });
});

describe('unprivilegedUser', () => {
  const passwd = [
    'root:x:0:0:root:/root:/bin/bash',
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
    'postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash',
  ].join('\n');

  it('prefers the postgres user', () => {
    expect(unprivilegedUser(passwd)).toEqual({ name: 'postgres', uid: 101, gid: 104 });
  });

  it('falls back to nobody', () => {
    expect(unprivilegedUser(passwd.split('\n').slice(0, 2).join('\n'))).toEqual({
      name: 'nobody',
      uid: 65534,
      gid: 65534,
    });
  });

  it('returns undefined when neither exists, ignoring malformed lines', () => {
    expect(unprivilegedUser('root:x:0:0::/:/bin/sh\ngarbage\npostgres:x:abc:1::/:/bin/sh')).toBe(
      undefined,
    );
  });
});
