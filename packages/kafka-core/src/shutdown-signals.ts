/** What the shutdown coordinator needs of a process: its signals and its exit. */
export interface SignalTarget {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

export interface ShutdownOptions {
  /** End the process once every handler has finished (default true). */
  readonly exit?: boolean;
  /** Called with this handler's failure. */
  readonly onError?: (err: unknown) => void;
}

type Shutdown = (signal: NodeJS.Signals) => Promise<void>;

const signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * The shutdown handlers of one process, run together. On the first SIGTERM or SIGINT every
 * registered handler starts; the process exits only after the last has finished (exit code
 * 1 if any failed, else 0), and only if at least one asked for the exit. A second signal
 * while they run exits at once with 130 (the operator insists). A service that registers one
 * handler for its producer and one for its consumer, as the READMEs show, gets both run to
 * their end, whichever is slower.
 */
export function shutdownCoordinator(target: SignalTarget) {
  const registered = new Set<{ shutdown: Shutdown; options: ShutdownOptions }>();
  let running = false;
  const listener = (signal: NodeJS.Signals) => {
    if (running) {
      target.exit(130);
      return;
    }
    running = true;
    const handlers = [...registered];
    void Promise.all(
      handlers.map(({ shutdown, options }) =>
        shutdown(signal).then(
          () => true,
          (err: unknown) => {
            options.onError?.(err);
            return false;
          },
        ),
      ),
    ).then((outcomes) => {
      if (handlers.some(({ options }) => options.exit ?? true)) {
        target.exit(outcomes.every(Boolean) ? 0 : 1);
      }
    });
  };
  return {
    /** Registers `shutdown`; returns a function that removes it (and the listeners with the last). */
    register(shutdown: Shutdown, options: ShutdownOptions = {}): () => void {
      const entry = { shutdown, options };
      if (registered.size === 0) for (const s of signals) target.on(s, listener);
      registered.add(entry);
      return () => {
        if (!registered.delete(entry) || registered.size > 0) return;
        for (const s of signals) target.off(s, listener);
      };
    },
  };
}

// One coordinator per process, also when two copies of this module are loaded (the ESM and the
// CommonJS build of this package, or two installed versions): handlers registered through
// either run together, and neither copy's exit cuts the other's handlers off.
const processShutdownKey = Symbol.for('@org/kafka-core/process-shutdown');
const processShutdown = ((globalThis as Record<symbol, unknown>)[processShutdownKey] ??=
  shutdownCoordinator(process)) as ReturnType<typeof shutdownCoordinator>;

/**
 * Runs `shutdown` on the first SIGTERM or SIGINT, together with every other handler
 * registered in this process (see `shutdownCoordinator`). Returns a function that removes it.
 */
export function onShutdownSignal(shutdown: Shutdown, options: ShutdownOptions = {}): () => void {
  return processShutdown.register(shutdown, options);
}
