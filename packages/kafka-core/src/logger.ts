/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** What the SDK logs through. Bring your own (pino, winston) by adapting these four. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** One JSON object per line on stderr, at `level` and above. */
export function jsonLogger(
  level: LogLevel = 'info',
  write: (line: string) => unknown = (line) => process.stderr.write(line),
): Logger {
  const at =
    (lineLevel: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields?: LogFields): void => {
      if (order[lineLevel] < order[level]) return;
      write(
        `${JSON.stringify({ level: lineLevel, time: new Date().toISOString(), message, ...fields })}\n`,
      );
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Discards everything. */
export const silentLogger: Logger = jsonLogger('silent');

const warned = new WeakMap<Logger, Set<string>>();

/** Logs a warning once per logger and `key`, for opt-outs that should be seen but not spam. */
export function warnOnce(logger: Logger, key: string, message: string, fields?: LogFields): void {
  let seen = warned.get(logger);
  if (!seen) {
    seen = new Set();
    warned.set(logger, seen);
  }
  if (seen.has(key)) return;
  seen.add(key);
  logger.warn(message, fields);
}
