import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('require() from CommonJS', () => {
  it("loads every package's CommonJS build in a .cjs file on this machine's Node", async () => {
    const fixture = fileURLToPath(new URL('./fixtures/require-packages.cjs', import.meta.url));
    const { stdout } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(process.execPath, [fixture], (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve({ stdout, stderr });
      });
    });
    expect(stdout.trim()).toBe(
      'ok @org/kafka-testkit @org/kafka-core @org/kafka-producer @org/kafka-consumer @org/kafka-lag-monitor @org/kafka-serdes @org/kafka-outbox kafka=4.1.2',
    );
  });
});
