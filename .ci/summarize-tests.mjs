// Adds up the JSON reports that every vitest run of `npm test` wrote, and prints one
// closing line for the whole suite. Fails when a report is missing or nothing ran.
// A test that never ran because its file failed around it (a beforeAll hook that threw, a
// module that did not load) counts as failed, not skipped: vitest reports those tests as
// skipped, and a clean CI run once closed on "0 failed, 5 skipped" while its suite was red.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
let allSucceeded = true;
for (const workspace of workspaces) {
  const manifest = JSON.parse(readFileSync(join(root, workspace, 'package.json'), 'utf8'));
  if (!manifest.scripts?.test) continue;
  const report = join(root, workspace, 'test-results.json');
  if (!existsSync(report)) {
    missing.push(workspace);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  if (r.success === false) allSucceeded = false;
  let cutOff = 0;
  for (const file of r.testResults) {
    if (file.status !== 'failed') continue;
    const unrun = file.assertionResults.filter(
      (a) => a.status !== 'passed' && a.status !== 'failed',
    );
    const failedHere = file.assertionResults.filter((a) => a.status === 'failed').length;
    // A failed file with no failed test failed outside them: its unrun tests (at least one) are failures.
    if (failedHere === 0) cutOff += Math.max(1, unrun.length);
  }
  const failedTests = r.numFailedTests + cutOff;
  passed += r.numPassedTests;
  failed += failedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0) - Math.min(cutOff, r.numPendingTests);
  console.log(`${workspace}: ${r.numPassedTests} passed, ${failedTests} failed`);
}
if (missing.length > 0) console.error(`no test report from: ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || !allSucceeded || missing.length > 0 || passed === 0 ? 1 : 0);
