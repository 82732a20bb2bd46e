import { startDetached, type DetachedProcess } from './detached-process.js';

export type { DetachedProcess as JavaProcess, ExitStatus } from './detached-process.js';

/** Starts `java jvmArgs` detached in its own process group, watched by the reaper. */
export function startJava(args: {
  java: string;
  jvmArgs: readonly string[];
  cwd: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
  background?: boolean;
}): DetachedProcess {
  const { java, jvmArgs, ...rest } = args;
  return startDetached({ command: java, args: jvmArgs, ...rest });
}
