// The CommonJS half of a package's dual build, run in the package's folder after `tsc -b`.
//
// tsc writes the ESM build and the types to dist/. TypeScript cannot emit both formats from
// one package whose package.json says "type": "module" (a file's format follows its nearest
// package.json, and `import.meta` has no CommonJS form), so esbuild transpiles the same
// sources, file by file without bundling, to dist/cjs/, where a package.json says "type":
// "commonjs". Only the files tsc emitted are transpiled, so both halves hold the same modules.
// Command entry points (the modules bin/ launchers import) stay ESM only: they run as
// processes, never through require, and may await at top level. The declarations are copied
// next to the rest, so that `require` resolves types that TypeScript
// reads as CommonJS (no "masquerading as ESM"). `import.meta.url` becomes the module's own
// file URL.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

const dist = 'dist';
const out = join(dist, 'cjs');

/** Every file under `dir`, as paths relative to it, without dist/cjs itself. */
function filesUnder(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === out ? [] : filesUnder(path, base);
    return [relative(base, path)];
  });
}

if (!existsSync(join(dist, 'index.js'))) {
  console.error(`build-commonjs: no ${dist}/index.js in ${process.cwd()}; run tsc -b first`);
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });

const commandEntries = new Set(
  existsSync('bin')
    ? readdirSync('bin').flatMap((launcher) =>
        [...readFileSync(join('bin', launcher), 'utf8').matchAll(/'\.\.\/dist\/([^']+)'/g)].map(
          (m) => m[1],
        ),
      )
    : [],
);
const emitted = filesUnder(dist);
const sources = emitted
  .filter((f) => f.endsWith('.js') && !commandEntries.has(f))
  .map((f) => join('src', f.replace(/\.js$/, '.ts')))
  .filter((f) => existsSync(f));
const usesImportMeta = (f) => readFileSync(f, 'utf8').includes('import.meta.url');

const common = {
  outdir: out,
  outbase: 'src',
  format: 'cjs',
  platform: 'node',
  target: 'node22.12',
  sourcemap: true,
  logLevel: 'warning',
};
const plain = sources.filter((f) => !usesImportMeta(f));
const withMeta = sources.filter(usesImportMeta);
if (plain.length > 0) await build({ ...common, entryPoints: plain });
if (withMeta.length > 0) {
  await build({
    ...common,
    entryPoints: withMeta,
    define: { 'import.meta.url': '__moduleUrl' },
    // "use strict" first: a banner before esbuild's own directive would turn strict mode off.
    banner: {
      js: '"use strict";\nconst __moduleUrl = require("node:url").pathToFileURL(__filename).href;',
    },
  });
}

// Declarations: the same text, without the link to a declaration map that would point one
// folder too high from here.
const declarations = emitted.filter(
  (f) => f.endsWith('.d.ts') && !commandEntries.has(f.replace(/\.d\.ts$/, '.js')),
);
for (const file of declarations) {
  const target = join(out, file);
  mkdirSync(dirname(target), { recursive: true });
  const text = readFileSync(join(dist, file), 'utf8').replace(
    /\n\/\/# sourceMappingURL=.*\.d\.ts\.map\s*$/,
    '\n',
  );
  writeFileSync(target, text);
}
writeFileSync(join(out, 'package.json'), '{ "type": "commonjs" }\n');
console.error(
  `build-commonjs: ${sources.length} modules and ${declarations.length} declarations to ${out}/`,
);
