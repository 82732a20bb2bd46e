import { describe, expect, it } from 'vitest';
import {
  clusterDefaults,
  controllerQuorumVoters,
  newClusterId,
  renderBrokerProperties,
  renderLog4j2Properties,
  reservedBrokerKeys,
  validateBrokerConfig,
  type NodeAddress,
} from './broker-config.js';
import { KafkaTestkitError } from './errors.js';

const nodes: NodeAddress[] = [
  { id: 1, port: 9001, controllerPort: 9101 },
  { id: 2, port: 9002, controllerPort: 9102 },
  { id: 3, port: 9003, controllerPort: 9103 },
];

function parse(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    expect(map.has(line.slice(0, eq)), `duplicate key in ${line}`).toBe(false);
    map.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return map;
}

describe('clusterDefaults', () => {
  it.each([
    [1, '1', '1'],
    [2, '2', '1'],
    [3, '3', '2'],
    [5, '3', '2'],
  ])('with %i nodes: replication %s, min.insync.replicas %s', (count, rf, minIsr) => {
    const d = clusterDefaults(count);
    expect(d['default.replication.factor']).toBe(rf);
    expect(d['offsets.topic.replication.factor']).toBe(rf);
    expect(d['transaction.state.log.replication.factor']).toBe(rf);
    expect(d['min.insync.replicas']).toBe(minIsr);
    expect(d['transaction.state.log.min.isr']).toBe(minIsr);
    expect(d['group.initial.rebalance.delay.ms']).toBe('0');
  });
});

describe('renderBrokerProperties', () => {
  it('renders a combined KRaft node on loopback with its own ports and data dir', () => {
    const props = parse(renderBrokerProperties({ node: nodes[1]!, nodes, dataDir: '/tmp/x/data' }));
    expect(props.get('node.id')).toBe('2');
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9002,CONTROLLER://127.0.0.1:9102');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9002');
    expect(props.get('controller.quorum.voters')).toBe(
      '1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103',
    );
    expect(props.get('log.dirs')).toBe('/tmp/x/data');
    expect(props.get('min.insync.replicas')).toBe('2');
    expect(props.get('default.replication.factor')).toBe('3');
  });

  it('applies overrides over the defaults', () => {
    const text = renderBrokerProperties({
      node: nodes[0]!,
      nodes,
      dataDir: '/d',
      overrides: { 'min.insync.replicas': '3', 'log.retention.ms': '1000' },
    });
    const props = parse(text);
    expect(props.get('min.insync.replicas')).toBe('3');
    expect(props.get('log.retention.ms')).toBe('1000');
  });

  it('escapes backslashes, which .properties files would otherwise swallow', () => {
    const props = parse(
      renderBrokerProperties({ node: nodes[0]!, nodes, dataDir: 'C:\\kafka\\data' }),
    );
    expect(props.get('log.dirs')).toBe('C:\\\\kafka\\\\data');
  });
});

describe('validateBrokerConfig', () => {
  it('turns numbers and booleans into text', () => {
    expect(
      validateBrokerConfig({ 'num.io.threads': 4, 'auto.create.topics.enable': false }),
    ).toEqual({
      'num.io.threads': '4',
      'auto.create.topics.enable': 'false',
    });
  });

  it.each(reservedBrokerKeys)('refuses to override %s, naming it', (key) => {
    expect(() => validateBrokerConfig({ [key]: 'x' })).toThrow(key);
  });

  it('refuses a key that is not a property name', () => {
    expect(() => validateBrokerConfig({ 'bad key': 'x' })).toThrow(
      /"bad key" is not a Kafka property name/,
    );
  });

  it('refuses a value with a line break (it would inject another property)', () => {
    expect(() => validateBrokerConfig({ 'log.retention.ms': '1\nnode.id=7' })).toThrow(
      /brokerConfig\["log.retention.ms"\]: the value must not contain a line break/,
    );
  });

  it('refuses a value of another type, naming the key', () => {
    const bad = { 'log.retention.ms': {} } as unknown as Record<string, string>;
    expect(() => validateBrokerConfig(bad)).toThrow(
      /brokerConfig\["log.retention.ms"\]: expected a string/,
    );
  });

  it('throws a KafkaTestkitError with code TESTKIT_BAD_OPTION', () => {
    try {
      validateBrokerConfig({ 'node.id': 1 });
      expect.unreachable();
    } catch (err) {
      expect(KafkaTestkitError.is(err)).toBe(true);
      expect((err as KafkaTestkitError).code).toBe('TESTKIT_BAD_OPTION');
    }
  });
});

describe('controllerQuorumVoters', () => {
  it('lists every node as id@host:controllerPort', () => {
    expect(controllerQuorumVoters(nodes.slice(0, 1))).toBe('1@127.0.0.1:9101');
  });
});

describe('newClusterId', () => {
  it('is 22 base64url characters, the form kafka-storage expects', () => {
    const id = newClusterId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newClusterId()).not.toBe(id);
    expect(newClusterId(() => Buffer.alloc(16, 0xff))).toBe('_____________________w');
  });

  it('never begins with "-", which kafka-storage would read as an option', () => {
    // 0xf8 = 111110xx: the first six bits are 62, base64url '-'.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x00)];
    let calls = 0;
    expect(newClusterId(() => draws[calls++] ?? Buffer.alloc(16))).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(calls).toBe(2);
    for (let i = 0; i < 2000; i++) expect(newClusterId()).not.toMatch(/^-/);
  });

  it('refuses a wrong number of bytes', () => {
    expect(() => newClusterId(() => Buffer.alloc(8))).toThrow(/expected 16 bytes, got 8/);
  });
});

describe('renderLog4j2Properties', () => {
  it('sends everything to server.log under kafka.logs.dir', () => {
    const text = renderLog4j2Properties();
    expect(text).toContain('appender.out.type = File');
    expect(text).toContain('appender.out.fileName = ${sys:kafka.logs.dir}/server.log');
    expect(text).toContain('rootLogger.appenderRef.out.ref = out');
  });

  it('writes to standard output in a container, where docker logs read it', () => {
    const text = renderLog4j2Properties('console');
    expect(text).toContain('appender.out.type = Console');
    expect(text).toContain('appender.out.target = SYSTEM_OUT');
    expect(text).not.toContain('fileName');
    expect(text).toContain('rootLogger.appenderRef.out.ref = out');
  });
});
