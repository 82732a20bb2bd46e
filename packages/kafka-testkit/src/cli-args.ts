import { cliExitCodesUsage } from '@org/kafka-core';

/** What the kafka-testkit command was asked to do. */
export type CliCommand =
  | { readonly command: 'up'; readonly brokers: number; readonly registry: boolean }
  | { readonly command: 'fetch'; readonly registry: boolean; readonly images: boolean }
  | { readonly command: 'image-build'; readonly force: boolean }
  | { readonly command: 'help' };

export const usage = `Usage:
  kafka-testkit up [--brokers N] [--registry]   start a cluster (and registry), run until Ctrl-C
  kafka-testkit fetch [--no-registry] [--images] download Kafka (and the registry) into the cache;
                                                --images also readies the container images
  kafka-testkit image build [--force]           build the testkit's own container images now
  kafka-testkit help

Environment: KAFKA_TESTKIT_BACKEND (external|local|testcontainers), KAFKA_TESTKIT_CACHE_DIR,
KAFKA_TESTKIT_IMAGES (auto|official|build), KAFKA_TESTKIT_DEBIAN_MIRROR,
KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, JAVA_HOME.
${cliExitCodesUsage}`;

/** Parses the command line; throws an Error naming the argument at fault. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { command: 'help' };
  }
  if (command === 'image') {
    const [sub, ...options] = rest;
    if (sub !== 'build')
      throw new Error(`image: unknown subcommand "${sub ?? ''}" (expected build)`);
    let force = false;
    for (const arg of options) {
      if (arg === '--force') force = true;
      else throw new Error(`image build: unknown option "${arg}"`);
    }
    return { command: 'image-build', force };
  }
  if (command !== 'up' && command !== 'fetch') {
    throw new Error(`unknown command "${command}"`);
  }
  let brokers = 3;
  let registry = command === 'fetch';
  let images = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--registry') registry = true;
    else if (command === 'fetch' && arg === '--images') images = true;
    else if (arg === '--no-registry') registry = false;
    else if (command === 'up' && (arg === '--brokers' || arg.startsWith('--brokers='))) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[++i];
      const n = Number(value);
      if (value === undefined || !Number.isInteger(n) || n < 1 || n > 9) {
        throw new Error(`--brokers: expected an integer from 1 to 9, got ${value ?? 'nothing'}`);
      }
      brokers = n;
    } else {
      throw new Error(`${command}: unknown option "${arg}"`);
    }
  }
  return command === 'up' ? { command, brokers, registry } : { command, registry, images };
}
