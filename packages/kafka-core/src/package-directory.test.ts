import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageDirectory, packageVersion } from './package-directory.js';

function fakePackage(): string {
  const root = mkdtempSync(join(tmpdir(), 'package-directory-'));
  writeFileSync(join(root, 'package.json'), '{"name":"@org/x","version":"1.2.3"}');
  mkdirSync(join(root, 'dist', 'cjs'), { recursive: true });
  writeFileSync(join(root, 'dist', 'cjs', 'package.json'), '{"type":"commonjs"}');
  return root;
}

describe('packageDirectory', () => {
  it('finds the package from dist/ and from dist/cjs/, skipping the nameless package.json', () => {
    const root = fakePackage();
    for (const module of [join(root, 'dist', 'cli.js'), join(root, 'dist', 'cjs', 'cli.js')]) {
      expect(packageDirectory(pathToFileURL(module).href)).toBe(root);
      expect(packageVersion(pathToFileURL(module).href)).toBe('1.2.3');
    }
  });

  it("reads this package's own version from its source folder", () => {
    expect(packageVersion(import.meta.url)).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('says where it looked when no package is above', () => {
    expect(() => packageDirectory('file:///cli.js')).toThrow(
      'no named package.json above file:///cli.js',
    );
  });
});
