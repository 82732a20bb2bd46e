import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory of the package a module belongs to: the nearest folder above it whose
 * package.json has a name. A module may sit in `dist/` (ESM) or `dist/cjs/` (CommonJS, whose
 * folder has a package.json of its own, without a name), so no fixed `../` is right for both.
 */
export function packageDirectory(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (typeof name === 'string') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no named package.json above ${moduleUrl}`);
    dir = parent;
  }
}

/** The version in the package.json of the package a module belongs to. */
export function packageVersion(moduleUrl: string): string {
  const manifest = join(packageDirectory(moduleUrl), 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : 'unknown';
}
