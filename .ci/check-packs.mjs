// What each package would publish, checked: both builds (ESM and CommonJS), no .tsbuildinfo,
// no test files, a LICENSE, and
// every source map's sources inside the tarball (a map to a missing file only misleads).
// Run after the build; `npm pack --dry-run` with scripts lists the files without packing.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const problems = [];
for (const name of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', name);
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], {
      cwd: dir,
      encoding: 'utf8',
    }),
  );
  const files = new Set(pack.files.map((f) => f.path));
  if (!files.has('LICENSE')) problems.push(`${name}: no LICENSE`);
  for (const half of ['dist/index.js', 'dist/cjs/index.js', 'dist/cjs/package.json']) {
    if (!files.has(half)) problems.push(`${name}: no ${half} (the dual ESM + CommonJS build)`);
  }
  for (const file of files) {
    if (file.endsWith('.tsbuildinfo')) problems.push(`${name}: ships ${file}`);
    if (/\.test\.|-fixture\.|\.fake\./.test(file)) problems.push(`${name}: ships ${file}`);
    if (!file.endsWith('.map')) continue;
    const { sources } = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const source of sources) {
      const target = normalize(join(dirname(file), source));
      if (!files.has(target)) problems.push(`${name}: ${file} points at ${target}, not shipped`);
    }
  }
  console.log(`${pack.name}: ${files.size} files, ${(pack.size / 1024).toFixed(1)} kB packed`);
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
