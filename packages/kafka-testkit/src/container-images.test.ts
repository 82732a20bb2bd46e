import { describe, expect, it } from 'vitest';
import { imagePolicy } from './container-images.js';

describe('imagePolicy', () => {
  it('is auto unless KAFKA_TESTKIT_IMAGES says otherwise', () => {
    expect(imagePolicy({})).toBe('auto');
    expect(imagePolicy({ KAFKA_TESTKIT_IMAGES: '' })).toBe('auto');
    expect(imagePolicy({ KAFKA_TESTKIT_IMAGES: ' official ' })).toBe('official');
    expect(imagePolicy({ KAFKA_TESTKIT_IMAGES: 'build' })).toBe('build');
  });

  it('names the variable and the choices for anything else', () => {
    expect(() => imagePolicy({ KAFKA_TESTKIT_IMAGES: 'pull' })).toThrow(
      'KAFKA_TESTKIT_IMAGES="pull" is not one of auto, official, build',
    );
  });
});
