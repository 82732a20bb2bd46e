/**
 * Runs `shutdown` once on the first SIGTERM or SIGINT, then lets the process end. A second
 * signal while shutting down ends the process at once (the operator insists). Returns a
 * function that removes the handlers.
 */
export function onShutdownSignal(
  shutdown: (signal: NodeJS.Signals) => Promise<void>,
  options: { exit?: boolean; onError?: (err: unknown) => void } = {},
): () => void {
  let running = false;
  const handler = (signal: NodeJS.Signals) => {
    if (running) {
      process.exit(130);
    }
    running = true;
    shutdown(signal).then(
      () => {
        if (options.exit ?? true) process.exit(0);
      },
      (err: unknown) => {
        options.onError?.(err);
        if (options.exit ?? true) process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
