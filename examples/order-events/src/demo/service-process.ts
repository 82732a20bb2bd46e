import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface StatsLine {
  readonly service: string;
  readonly final: boolean;
  readonly stats: Readonly<Record<string, number | null>>;
}

/** A service run as its own process, as it would be deployed; stopped with SIGTERM. */
export class ServiceProcess {
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  /** The service's latest statistics line. */
  latest: StatsLine | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    script: string,
    env: Record<string, string>,
    logFile: string,
  ) {
    this.child = spawn(process.execPath, [script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(logFile, { flags: 'a' });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        log.end();
        resolve({ code, signal });
      });
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      if (!line.startsWith('{')) return;
      try {
        const parsed = JSON.parse(line) as Partial<StatsLine>;
        if (parsed.stats !== undefined) this.latest = parsed as StatsLine;
      } catch {
        // Not a statistics line: it is in the log file.
      }
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      log.write(`${line}\n`);
      this.tail.push(line);
      if (this.tail.length > 20) this.tail.shift();
    });
  }

  /** The last lines the service wrote on stderr, for an error message. */
  lastLines(): string {
    return this.tail.join('\n');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL, as a crash would, and waits for the exit. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then waits; SIGKILL after `timeoutMs` (a service that does not stop is a bug). */
  async stop(timeoutMs = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, timeoutMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    return this.exited;
  }
}
