import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** Where the testkit finds `java`: `$JAVA_HOME/bin/java` when set, else `java` on PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/**
 * The feature version (8, 17, 21...) from the first line of `java -version`, or undefined
 * when the text does not look like a Java version.
 */
export function parseJavaVersion(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(output);
  if (!match?.[1]) return undefined;
  const major = Number(match[1]);
  // Java 8 and older report themselves as 1.x.
  return major === 1 && match[2] ? Number(match[2]) : major;
}

/** Runs `command args` and returns its stdout and stderr, or undefined if it cannot run. */
export function runQuietly(
  command: string,
  args: readonly string[],
  timeoutMs = 20_000,
): Promise<{ stdout: string; stderr: string } | undefined> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve(error ? undefined : { stdout, stderr });
    });
  });
}

/** The Java feature version on this machine, or undefined when no `java` runs. */
export async function detectJava(
  env: NodeJS.ProcessEnv = process.env,
): Promise<number | undefined> {
  const out = await runQuietly(javaCommand(env), ['-version']);
  return out ? parseJavaVersion(out.stderr + out.stdout) : undefined;
}

/** True when `mvn -v` runs. */
export async function detectMaven(): Promise<boolean> {
  return (await runQuietly('mvn', ['-v'])) !== undefined;
}
