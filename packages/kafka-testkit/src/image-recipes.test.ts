import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { clusterDefaults } from './broker-config.js';
import { propertyToImageEnv } from './container-env.js';
import {
  baseImageTag,
  debianMirror,
  debootstrapArgs,
  envToPropertyShell,
  kafkaImageJvmVariables,
  kafkaImageRecipe,
  registryImageRecipe,
} from './image-recipes.js';
import { versions } from './versions.js';

/** Runs the image's own shell function on each name, in one `sh`. */
function shellEnvToProperty(names: readonly string[]): string[] {
  const script = `${envToPropertyShell}\nfor n in "$@"; do env_to_property "$n"; done`;
  return execFileSync('sh', ['-c', script, 'sh', ...names], { encoding: 'utf8' })
    .trimEnd()
    .split('\n');
}

describe('the Kafka image entry script', () => {
  const properties = [
    ...Object.keys(clusterDefaults(3)),
    'node.id',
    'process.roles',
    'advertised.listeners',
    'listener.security.protocol.map',
    'controller.quorum.voters',
    'log.dirs',
    // Names with '_' and '-' in them, the two the rule escapes.
    'listener.name.external_1.sasl.enabled.mechanisms',
    'some-dashed.property_name',
    'a-.b',
    'a--b',
    'a-_b',
  ];

  it('turns every variable the testkit sets back into the property it came from', () => {
    const names = properties.map(propertyToImageEnv);
    expect(shellEnvToProperty(names)).toEqual(properties);
  });

  it('decodes the apache/kafka examples the same way', () => {
    expect(
      shellEnvToProperty([
        'KAFKA_NODE_ID',
        'KAFKA_LISTENER_SECURITY_PROTOCOL_MAP',
        'KAFKA_LOG_DIRS',
        'KAFKA_SOME___DASH',
        'KAFKA_UNDER__SCORE',
      ]),
    ).toEqual([
      'node.id',
      'listener.security.protocol.map',
      'log.dirs',
      'some-dash',
      'under_score',
    ]);
  });

  it('leaves the JVM variables out of the properties and formats with CLUSTER_ID', () => {
    const run = kafkaImageRecipe('/cache/libs').files.find((f) => f.path === 'run')!;
    for (const name of kafkaImageJvmVariables) expect(run.content).toContain(name);
    expect(run.content).toContain('KAFKA_HEAP_OPTS|KAFKA_OPTS|');
    expect(run.content).toContain('format -t "$CLUSTER_ID" -c "$config" --ignore-formatted');
    expect(run.content).toContain('exec java ${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G}');
    expect(run.mode).toBe(0o755);
    // The script must parse: sh -n reads it without running it.
    execFileSync('sh', ['-n', '-c', run.content]);
  });

  it('refuses to start without CLUSTER_ID, naming it', () => {
    const run = kafkaImageRecipe('/cache/libs').files.find((f) => f.path === 'run')!;
    const script = run.content.replace(/^config=.*$/m, 'config=$(mktemp)');
    let stderr = '';
    try {
      execFileSync('sh', ['-c', script], {
        env: { PATH: process.env.PATH, KAFKA_NODE_ID: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      stderr = String((err as { stderr: Buffer }).stderr);
      expect((err as { status: number }).status).toBe(2);
    }
    expect(stderr).toContain('CLUSTER_ID is not set');
  });
});

describe('image tags', () => {
  it('name the version and a digest of the recipe', () => {
    expect(baseImageTag()).toMatch(
      new RegExp(`^localhost/kafka-testkit/debian-jre:${versions.debianSuite}-[0-9a-f]{12}$`),
    );
    const kafka = kafkaImageRecipe('/a/libs');
    expect(kafka.tag).toMatch(
      new RegExp(`^localhost/kafka-testkit/kafka:${versions.kafka}-[0-9a-f]{12}$`),
    );
    const registry = registryImageRecipe('/a/registry', 'runner.jar');
    expect(registry.tag).toMatch(
      new RegExp(`^localhost/kafka-testkit/apicurio-registry:${versions.apicurio}-[0-9a-f]{12}$`),
    );
  });

  it('stay the same for the same recipe wherever the cache is, and change with the recipe', () => {
    expect(kafkaImageRecipe('/a/libs').tag).toBe(kafkaImageRecipe('/b/libs').tag);
    expect(registryImageRecipe('/a', 'runner.jar').tag).not.toBe(
      registryImageRecipe('/a', 'other-runner.jar').tag,
    );
  });

  it('build on the base image and copy the cached jars in', () => {
    const kafka = kafkaImageRecipe('/cache/kafka-4.1.2');
    const dockerfile = kafka.files.find((f) => f.path === 'Dockerfile')!.content;
    expect(dockerfile.split('\n')[0]).toBe(`FROM ${baseImageTag()}`);
    expect(kafka.copies).toEqual([{ from: '/cache/kafka-4.1.2', to: 'libs' }]);
  });
});

describe('debootstrapArgs', () => {
  it('makes a minimal system with the JRE from the mirror', () => {
    expect(debootstrapArgs('/tmp/root', 'http://m/debian')).toEqual([
      '--variant=minbase',
      `--include=${versions.debianJrePackage}`,
      versions.debianSuite,
      '/tmp/root',
      'http://m/debian',
    ]);
  });
});

describe('debianMirror', () => {
  it('takes KAFKA_TESTKIT_DEBIAN_MIRROR first', () => {
    expect(debianMirror({ KAFKA_TESTKIT_DEBIAN_MIRROR: 'http://mirror/debian/' }, [])).toBe(
      'http://mirror/debian',
    );
  });

  it('reads deb822 sources, skipping the security archive', () => {
    const sources = [
      'Types: deb\nURIs: http://deb.example.org/debian-security\nSuites: bookworm-security\n',
      'Types: deb\n# a comment\nURIs: http://deb.example.org/debian\nSuites: bookworm\n',
    ];
    expect(debianMirror({}, sources)).toBe('http://deb.example.org/debian');
  });

  it('reads one-line sources, with options', () => {
    expect(
      debianMirror({}, [
        '# deb http://old/debian bookworm main\ndeb [arch=amd64] https://m.example/debian/ bookworm main\n',
      ]),
    ).toBe('https://m.example/debian');
  });

  it('falls back to deb.debian.org', () => {
    expect(debianMirror({}, ['', 'deb cdrom:[Debian]/ bookworm main'])).toBe(
      'http://deb.debian.org/debian',
    );
  });
});
