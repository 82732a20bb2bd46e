import { describe, expect, it } from 'vitest';
import { javaCommand, parseJavaVersion } from './java-runtime.js';

describe('parseJavaVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_292"', 8],
    ['openjdk version "25-ea" 2025-09-16', 25],
    ['openjdk version "11.0.2" 2019-01-15 LTS', 11],
  ])('reads %s as %i', (text, version) => {
    expect(parseJavaVersion(text)).toBe(version);
  });

  it('returns undefined for text that is no version', () => {
    expect(parseJavaVersion('bash: java: command not found')).toBeUndefined();
  });
});

describe('javaCommand', () => {
  it('uses JAVA_HOME when set, else java on PATH', () => {
    expect(javaCommand({ JAVA_HOME: '/opt/jdk' })).toBe('/opt/jdk/bin/java');
    expect(javaCommand({})).toBe('java');
  });
});
