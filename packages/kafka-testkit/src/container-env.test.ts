import { describe, expect, it } from 'vitest';
import { propertiesToImageEnv, propertyToImageEnv } from './container-env.js';

describe('propertyToImageEnv', () => {
  it.each([
    ['min.insync.replicas', 'KAFKA_MIN_INSYNC_REPLICAS'],
    ['offsets.topic.replication.factor', 'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR'],
    ['some_underscored.name', 'KAFKA_SOME__UNDERSCORED_NAME'],
    ['with-dash.name', 'KAFKA_WITH___DASH_NAME'],
  ])('%s -> %s', (property, env) => {
    expect(propertyToImageEnv(property)).toBe(env);
  });

  it.each(['a__b', 'a..b', 'a_.b', 'a._b', 'a.-b', 'a_-b'])(
    'refuses %s, which the image would read back as another name',
    (property) => {
      expect(() => propertyToImageEnv(property)).toThrow(
        new RegExp(
          `brokerConfig: "${property.replace(/\./g, '\\.')}" cannot be passed .* at character 2`,
        ),
      );
    },
  );

  it('maps a whole property set', () => {
    expect(propertiesToImageEnv({ 'node.id': '1' })).toEqual({ KAFKA_NODE_ID: '1' });
  });
});
