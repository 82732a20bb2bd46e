import { describe, expect, it } from 'vitest';
import { chooseBackend, localBackendProblem, type EnvironmentFacts } from './backend-choice.js';

const nothing: EnvironmentFacts = { mavenFound: false, kafkaCached: false, dockerFound: false };
const javaAndMaven: EnvironmentFacts = { ...nothing, javaVersion: 17, mavenFound: true };

describe('chooseBackend', () => {
  it('prefers an external cluster when KAFKA_BOOTSTRAP_SERVERS is set', () => {
    expect(chooseBackend({ ...javaAndMaven, dockerFound: true, bootstrapServers: 'h:9092' })).toBe(
      'external',
    );
  });

  it('ignores a blank KAFKA_BOOTSTRAP_SERVERS', () => {
    expect(chooseBackend({ ...javaAndMaven, bootstrapServers: '  ' })).toBe('local');
  });

  it('uses local JVMs when Java 17+ and Maven are present', () => {
    expect(chooseBackend({ ...javaAndMaven, dockerFound: true })).toBe('local');
  });

  it('uses local JVMs without Maven when the jars are already cached', () => {
    expect(chooseBackend({ ...nothing, javaVersion: 21, kafkaCached: true })).toBe('local');
  });

  it('falls back to testcontainers when Java is too old', () => {
    expect(chooseBackend({ ...javaAndMaven, javaVersion: 11, dockerFound: true })).toBe(
      'testcontainers',
    );
  });

  it('falls back to testcontainers without Java', () => {
    expect(chooseBackend({ ...nothing, mavenFound: true, dockerFound: true })).toBe(
      'testcontainers',
    );
  });

  it('names everything that is missing when no backend can work', () => {
    expect(() => chooseBackend({ ...nothing, javaVersion: 11 })).toThrow(
      /external: KAFKA_BOOTSTRAP_SERVERS is not set\n\s+local: Java 11 is too old.*\n\s+testcontainers: no Docker engine is reachable/,
    );
  });

  it('obeys KAFKA_TESTKIT_BACKEND over the automatic order', () => {
    expect(chooseBackend({ ...javaAndMaven, dockerFound: true, requested: 'testcontainers' })).toBe(
      'testcontainers',
    );
  });

  it('says why a requested backend cannot run', () => {
    expect(() => chooseBackend({ ...javaAndMaven, requested: 'testcontainers' })).toThrow(
      'KAFKA_TESTKIT_BACKEND=testcontainers was requested but cannot run: no Docker engine is reachable',
    );
    expect(() => chooseBackend({ ...javaAndMaven, requested: 'external' })).toThrow(
      /KAFKA_BOOTSTRAP_SERVERS is not set/,
    );
  });

  it('refuses an unknown backend name, listing the valid ones', () => {
    expect(() => chooseBackend({ ...javaAndMaven, requested: 'docker' })).toThrow(
      'KAFKA_TESTKIT_BACKEND="docker" is not a backend; use one of: external, local, testcontainers',
    );
  });
});

describe('localBackendProblem', () => {
  it('accepts Java 17 exactly and refuses 16', () => {
    expect(localBackendProblem(javaAndMaven)).toBeUndefined();
    expect(localBackendProblem({ ...javaAndMaven, javaVersion: 16 })).toMatch(/Java 16 is too old/);
  });

  it('asks for Maven only when the jars are not cached', () => {
    expect(localBackendProblem({ ...nothing, javaVersion: 17 })).toMatch(/no Maven/);
  });
});
