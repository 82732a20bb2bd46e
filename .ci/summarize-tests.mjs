// Adds up the JSON reports that every vitest run of `npm test` wrote, and prints one
// closing line for the whole suite. Fails when a report is missing or nothing ran.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const workspace of workspaces) {
  const manifest = JSON.parse(readFileSync(join(root, workspace, 'package.json'), 'utf8'));
  if (!manifest.scripts?.test) continue;
  const report = join(root, workspace, 'test-results.json');
  if (!existsSync(report)) {
    missing.push(workspace);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  console.log(`${workspace}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}
if (missing.length > 0) console.error(`no test report from: ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 || passed === 0 ? 1 : 0);
