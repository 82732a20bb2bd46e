import { describe, expect, it } from 'vitest';
import { renderBrokerProperties, type NodeAddress } from './broker-config.js';
import {
  saslListenerProperties,
  scramFormatArgs,
  validateSaslListener,
  type SaslListenerOptions,
} from './sasl-listener.js';

const users = [
  { username: 'alice', password: 'alice-secret' },
  { username: 'svc.orders', password: 'p@ss~word+1' },
];

describe('validateSaslListener', () => {
  it('accepts users whose names and passwords fit a JAAS line and a SCRAM argument', () => {
    expect(validateSaslListener({ users })).toEqual(users);
  });

  it.each<[unknown, string]>([
    [{}, 'sasl.users: expected at least one user'],
    [{ users: [] }, 'sasl.users: expected at least one user'],
    [{ users: [{ username: 'a' }] }, 'sasl.users[0].password: expected 1 to 128 of'],
    [{ users: [{ username: '', password: 'p' }] }, 'sasl.users[0].username: expected'],
    [{ users: [users[0], { username: 'b', password: 'has space' }] }, 'sasl.users[1].password'],
    [{ users: [{ username: 'a', password: 'quo"te' }] }, 'sasl.users[0].password'],
    [{ users: [{ username: 'a', password: 'x,y' }] }, 'sasl.users[0].password'],
    [{ users: [{ username: 'a', password: 'x]y' }] }, 'sasl.users[0].password'],
    [{ users: [{ username: 'a=b', password: 'p' }] }, 'sasl.users[0].username'],
    [{ users: [{ username: 'a', password: 'x'.repeat(129) }] }, 'sasl.users[0].password'],
    [
      { users: [users[0], { username: 'alice', password: 'other' }] },
      'sasl.users[1].username: "alice" is listed twice',
    ],
  ])('refuses %j naming the field', (option, expected) => {
    expect(() => validateSaslListener(option as SaslListenerOptions)).toThrow(expected);
  });
});

describe('the SASL listener in server.properties', () => {
  const nodes: NodeAddress[] = [
    { id: 1, port: 9001, controllerPort: 9101, saslPort: 9201 },
    { id: 2, port: 9002, controllerPort: 9102, saslPort: 9202 },
  ];
  const props = new Map(
    renderBrokerProperties({ node: nodes[1]!, nodes, dataDir: '/d', saslUsers: users })
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  );

  it('listens and advertises SASL_PLAINTEXT beside PLAINTEXT; brokers keep talking plaintext', () => {
    expect(props.get('listeners')).toBe(
      'PLAINTEXT://127.0.0.1:9002,CONTROLLER://127.0.0.1:9102,SASL_PLAINTEXT://127.0.0.1:9202',
    );
    expect(props.get('advertised.listeners')).toBe(
      'PLAINTEXT://127.0.0.1:9002,SASL_PLAINTEXT://127.0.0.1:9202',
    );
    expect(props.get('listener.security.protocol.map')).toBe(
      'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
    );
    expect(props.get('inter.broker.listener.name')).toBe('PLAINTEXT');
  });

  it('offers PLAIN with every user in the JAAS line, and both SCRAM mechanisms', () => {
    expect(props.get('sasl.enabled.mechanisms')).toBe('PLAIN,SCRAM-SHA-256,SCRAM-SHA-512');
    expect(props.get('listener.name.sasl_plaintext.plain.sasl.jaas.config')).toBe(
      'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="alice-secret" user_svc.orders="p@ss~word+1";',
    );
    expect(props.get('listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config')).toBe(
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    );
    expect(saslListenerProperties(users)).toHaveProperty(
      'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config',
    );
  });

  it('has no SASL listener without users, and refuses users without a port', () => {
    const plain = renderBrokerProperties({
      node: { id: 1, port: 9001, controllerPort: 9101 },
      nodes,
      dataDir: '/d',
    });
    expect(plain).not.toContain('SASL');
    expect(() =>
      renderBrokerProperties({
        node: { id: 1, port: 9001, controllerPort: 9101 },
        nodes,
        dataDir: '/d',
        saslUsers: users,
      }),
    ).toThrow('broker 1: SASL users without a SASL port');
  });
});

describe('scramFormatArgs', () => {
  it('adds SCRAM-SHA-256 and -512 credentials for every user', () => {
    expect(scramFormatArgs(users)).toEqual([
      '--add-scram',
      'SCRAM-SHA-256=[name=alice,password=alice-secret]',
      '--add-scram',
      'SCRAM-SHA-512=[name=alice,password=alice-secret]',
      '--add-scram',
      'SCRAM-SHA-256=[name=svc.orders,password=p@ss~word+1]',
      '--add-scram',
      'SCRAM-SHA-512=[name=svc.orders,password=p@ss~word+1]',
    ]);
  });
});
