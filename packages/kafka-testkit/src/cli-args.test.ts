import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';

describe('parseCliArgs', () => {
  it('reads up with its options', () => {
    expect(parseCliArgs(['up'])).toEqual({ command: 'up', brokers: 3, registry: false });
    expect(parseCliArgs(['up', '--brokers', '1', '--registry'])).toEqual({
      command: 'up',
      brokers: 1,
      registry: true,
    });
    expect(parseCliArgs(['up', '--brokers=5'])).toEqual({
      command: 'up',
      brokers: 5,
      registry: false,
    });
  });

  it('fetches the registry too unless told not to', () => {
    expect(parseCliArgs(['fetch'])).toEqual({ command: 'fetch', registry: true, images: false });
    expect(parseCliArgs(['fetch', '--no-registry'])).toEqual({
      command: 'fetch',
      registry: false,
      images: false,
    });
    expect(parseCliArgs(['fetch', '--images'])).toEqual({
      command: 'fetch',
      registry: true,
      images: true,
    });
  });

  it('reads image build, with --force', () => {
    expect(parseCliArgs(['image', 'build'])).toEqual({ command: 'image-build', force: false });
    expect(parseCliArgs(['image', 'build', '--force'])).toEqual({
      command: 'image-build',
      force: true,
    });
    expect(() => parseCliArgs(['image'])).toThrow('image: unknown subcommand "" (expected build)');
    expect(() => parseCliArgs(['image', 'pull'])).toThrow('unknown subcommand "pull"');
    expect(() => parseCliArgs(['image', 'build', '--fast'])).toThrow(
      'image build: unknown option "--fast"',
    );
    expect(() => parseCliArgs(['up', '--images'])).toThrow('up: unknown option "--images"');
  });

  it('shows help for nothing, help, -h and --help', () => {
    for (const argv of [[], ['help'], ['-h'], ['--help']])
      expect(parseCliArgs(argv)).toEqual({ command: 'help' });
  });

  it('names the argument at fault', () => {
    expect(() => parseCliArgs(['down'])).toThrow('unknown command "down"');
    expect(() => parseCliArgs(['up', '--brokers', 'x'])).toThrow(
      '--brokers: expected an integer from 1 to 9, got x',
    );
    expect(() => parseCliArgs(['up', '--brokers'])).toThrow('got nothing');
    expect(() => parseCliArgs(['up', '--brokers', '10'])).toThrow('got 10');
    expect(() => parseCliArgs(['fetch', '--brokers', '3'])).toThrow(
      'fetch: unknown option "--brokers"',
    );
  });
});
