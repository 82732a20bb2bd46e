/** What `npm run demo -- ...` was asked to do. */
export interface DemoArgs {
  readonly seconds: number;
  readonly ordersPerSecond: number;
  readonly transientPercent: number;
  readonly permanentPercent: number;
  readonly compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  /** Print the summary as one JSON line at the end (for scripts and tests). */
  readonly json: boolean;
  readonly help: boolean;
}

export const demoUsage = `Usage: npm run demo [-- options]

  --seconds N        how long the order service publishes (default 30)
  --rate N           orders per second, 3 events each (default 20)
  --transient P      percent of events the warehouse fails transiently (default 5)
  --permanent P      percent of events it can never fulfil (default 1)
  --compression C    none, gzip, snappy, lz4 or zstd (default lz4)
  --json             end with the summary as one JSON line

Uses KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL when set, else starts a local
3-broker cluster and registry (the first run downloads them from Maven Central).`;

const compressions = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

/** Parses the demo's arguments; throws naming the argument at fault. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const args = {
    seconds: 30,
    ordersPerSecond: 20,
    transientPercent: 5,
    permanentPercent: 1,
    compression: 'lz4' as DemoArgs['compression'],
    json: false,
    help: false,
  };
  const number = (flag: string, value: string | undefined, min: number, max: number) => {
    const n = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new Error(
        `${flag}: expected a number from ${min} to ${max}, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
      );
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--seconds':
        args.seconds = number(flag, value(), 1, 3_600);
        break;
      case '--rate':
        args.ordersPerSecond = number(flag, value(), 0.1, 5_000);
        break;
      case '--transient':
        args.transientPercent = number(flag, value(), 0, 100);
        break;
      case '--permanent':
        args.permanentPercent = number(flag, value(), 0, 100);
        break;
      case '--compression': {
        const c = value();
        if (!compressions.includes(c as DemoArgs['compression'])) {
          throw new Error(
            `--compression: expected one of ${compressions.join(', ')}, got ${JSON.stringify(c)}`,
          );
        }
        args.compression = c as DemoArgs['compression'];
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new Error(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  if (args.transientPercent + args.permanentPercent > 100) {
    throw new Error('--transient and --permanent: together at most 100 percent');
  }
  return args;
}
