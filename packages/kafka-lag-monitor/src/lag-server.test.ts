import { describe, expect, it } from 'vitest';
import { route, type LagSource } from './lag-server.js';
import { sampleReport } from './report-fixture.js';

const now = 1_700_000_010_000;
const source = (lastRound: LagSource['lastRound']): LagSource => ({
  reports: () => [sampleReport(), sampleReport({ group: 'billing' })],
  report: (g) => (g === 'orders-fulfilment' ? sampleReport() : undefined),
  lastRound,
  options: { intervalMs: 5_000 },
});
const healthy = source({ at: now - 1_000 });

describe('lag HTTP routes', () => {
  it('lists the groups', () => {
    expect(route('GET', '/v3/kafka/local/consumer', healthy, 'local', now)).toEqual({
      status: 200,
      body: { error: false, consumers: ['billing', 'orders-fulfilment'] },
    });
  });

  it("answers a group's lag in full and its status with the partitions not OK", () => {
    const lag = route(
      'GET',
      '/v3/kafka/local/consumer/orders-fulfilment/lag',
      healthy,
      'local',
      now,
    );
    expect(lag.status).toBe(200);
    expect((lag.body as { status: { partitions: unknown[] } }).status.partitions).toHaveLength(3);
    const status = route(
      'GET',
      '/v3/kafka/local/consumer/orders-fulfilment/status/',
      healthy,
      'local',
      now,
    );
    const body = status.body as { status: { status: string; partitions: { status: string }[] } };
    expect(body.status.status).toBe('WARN');
    expect(body.status.partitions.map((p) => p.status)).toEqual(['WARN', 'NO_COMMIT']);
  });

  it.each<[string, string, number, string]>([
    ['GET', '/v3/kafka/local/consumer/nobody/lag', 404, 'consumer group "nobody" not found'],
    ['GET', '/v3/kafka/other/consumer', 404, 'cluster "other" not found; this is "local"'],
    [
      'GET',
      '/v3/kafka/local/consumer/orders-fulfilment',
      404,
      'try /v3/kafka/local/consumer/orders-fulfilment/status',
    ],
    ['GET', '/v3/kafka/local/consumer/orders-fulfilment/offsets', 404, 'no route'],
    ['GET', '/metrics', 404, 'no route /metrics'],
    ['DELETE', '/v3/kafka/local/consumer/orders-fulfilment/lag', 405, 'DELETE is not allowed'],
    ['POST', '/healthz', 405, 'POST is not allowed'],
  ])('%s %s is a %i JSON error', (method, url, status, message) => {
    const result = route(method, url, healthy, 'local', now);
    expect(result.status).toBe(status);
    expect(result.body).toMatchObject({ error: true });
    expect((result.body as { message: string }).message).toContain(message);
  });

  it('decodes group names in the path', () => {
    const s = source({ at: now });
    const weird = {
      ...s,
      report: (g: string) => (g === 'a b/c' ? sampleReport({ group: g }) : undefined),
    };
    expect(route('GET', '/v3/kafka/local/consumer/a%20b%2Fc/lag', weird, 'local', now).status).toBe(
      200,
    );
  });

  it('healthz: 200 while rounds succeed, 503 after a failed or overdue round', () => {
    expect(route('GET', '/healthz', healthy, 'local', now).status).toBe(200);
    expect(
      route('GET', '/healthz', source({ at: now, error: new Error('boom') }), 'local', now),
    ).toEqual({
      status: 503,
      body: { error: true, message: 'last sampling round failed: boom' },
    });
    expect(route('GET', '/healthz', source({ at: now - 15_001 }), 'local', now).status).toBe(503);
    expect(route('GET', '/healthz', source(undefined), 'local', now).status).toBe(503);
  });
});
