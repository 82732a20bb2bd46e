// Adds up the JSON reports that every vitest run of `npm test` wrote, and prints one
// closing line for the whole suite, after the name of every failed test. Fails when a
// report is missing or nothing ran. With --failed it prints the failed tests only (CI
// names them again at the end of its log). With --report <workspace>/<file> it reads that
// report only (the container backend's run writes its own); several may be given.
// A test that never ran because its file failed around it (a beforeAll hook that threw, a
// module that did not load) counts as failed, not skipped: vitest reports those tests as
// skipped, and a clean CI run once closed on "0 failed, 5 skipped" while its suite was red.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The first line of a failure message, short enough for a log line. */
function firstLine(message) {
  return (message ?? 'no message').split('\n')[0].slice(0, 300);
}

const root = new URL('..', import.meta.url).pathname;
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
const failures = [];
let allSucceeded = true;
const onlyFailures = process.argv.includes('--failed');
const chosen = process.argv.flatMap((arg, i) =>
  arg === '--report' && process.argv[i + 1] ? [process.argv[i + 1]] : [],
);
const reports =
  chosen.length > 0
    ? chosen.map((path) => ({ workspace: path.split('/')[0], file: path }))
    : workspaces
        .filter((workspace) => {
          const manifest = JSON.parse(readFileSync(join(root, workspace, 'package.json'), 'utf8'));
          return Boolean(manifest.scripts?.test);
        })
        .map((workspace) => ({ workspace, file: `${workspace}/test-results.json` }));
for (const { workspace, file } of reports) {
  const report = join(root, file);
  if (!existsSync(report)) {
    missing.push(file);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  if (r.success === false) {
    allSucceeded = false;
    // vitest also fails a run whose tests all passed: an error no test caught (a rejection
    // after a test ended), which the lines below would not name.
    if (r.numFailedTests === 0 && r.testResults.every((f) => f.status !== 'failed')) {
      failures.push(
        `${workspace}: vitest reported failure with no failed test (an unhandled error? see its log above)`,
      );
    }
  }
  let cutOff = 0;
  for (const file of r.testResults) {
    if (file.status !== 'failed') continue;
    const unrun = file.assertionResults.filter(
      (a) => a.status !== 'passed' && a.status !== 'failed',
    );
    const failedHere = file.assertionResults.filter((a) => a.status === 'failed');
    const where = `${workspace}/${file.name.slice(join(root, workspace).length + 1)}`;
    for (const a of failedHere) {
      failures.push(`${where} > ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    }
    // A failed file with no failed test failed outside them: its unrun tests (at least one) are failures.
    if (failedHere.length === 0) {
      cutOff += Math.max(1, unrun.length);
      failures.push(
        `${where}: failed outside its tests (${unrun.length} not run): ${firstLine(file.message)}`,
      );
    }
  }
  const failedTests = r.numFailedTests + cutOff;
  passed += r.numPassedTests;
  failed += failedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0) - Math.min(cutOff, r.numPendingTests);
  if (!onlyFailures) console.log(`${file}: ${r.numPassedTests} passed, ${failedTests} failed`);
}
for (const line of failures) console.log(`FAILED ${line}`);
if (missing.length > 0) console.log(`no test report from: ${missing.join(', ')}`);
if (!onlyFailures) console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || !allSucceeded || missing.length > 0 || passed === 0 ? 1 : 0);
