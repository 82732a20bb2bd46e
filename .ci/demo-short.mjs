// The demo's short mode on the Node that runs this script (CI runs it on Node 22 and 26; the
// suite's demo test covers Node 24): it must exit 0, lose nothing, and no Node process of the
// run (the demo, its two services, their restarts) may print a process warning. Each writes its
// warnings to one file through NODE_OPTIONS=--redirect-warnings, which children inherit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const demo = new URL('../examples/order-events/dist/demo/run-demo.js', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'demo-short-'));
const warnings = join(scratch, 'warnings.txt');
const { KAFKA_BOOTSTRAP_SERVERS: _kafka, SCHEMA_REGISTRY_URL: _registry, ...env } = process.env;
const run = spawnSync(process.execPath, [demo, '--seconds', '10', '--json'], {
  // The demo starts and stops a cluster of its own.
  env: { ...env, NODE_OPTIONS: `--redirect-warnings=${warnings}` },
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const problems = [];
if (run.status !== 0) problems.push(`the demo exited ${run.status ?? run.signal}`);
const last = run.stdout?.trim().split('\n').at(-1) ?? '';
try {
  const { summary } = JSON.parse(last);
  if (summary.lost !== 0 || summary.notInKafka !== 0 || summary.committed === 0) {
    problems.push(`the summary says ${JSON.stringify(summary)}`);
  }
} catch {
  problems.push(`no JSON summary line at the end of the output: ${last.slice(0, 200)}`);
}
if (existsSync(warnings) && readFileSync(warnings, 'utf8').trim() !== '') {
  problems.push(`process warnings:\n${readFileSync(warnings, 'utf8')}`);
}
rmSync(scratch, { recursive: true, force: true });
if (problems.length > 0) {
  console.error(`demo on Node ${process.versions.node}: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`demo on Node ${process.versions.node}: exit 0, nothing lost, no process warning`);
