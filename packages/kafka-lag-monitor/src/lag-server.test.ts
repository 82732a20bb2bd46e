import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { ClusterWatch } from './cluster-watch.js';
import { createLagServer, route } from './lag-server.js';
import { LagMetrics } from './prometheus-metrics.js';
import { sampleReport } from './report-fixture.js';
import { FakeMonitor } from './watch-fixture.js';

const now = 1_700_000_010_000;
function watched(name = 'local') {
  const monitor = new FakeMonitor();
  const watch = new ClusterWatch(name, monitor);
  monitor.completeRound([sampleReport(), sampleReport({ group: 'billing' })], now - 1_000);
  return { monitor, watch };
}

describe('lag HTTP routes', () => {
  const { watch } = watched();
  const watches = [watch];

  it('lists the clusters and the groups of one', () => {
    expect(route('GET', '/v3/kafka', watches, now)).toEqual({
      status: 200,
      body: { error: false, clusters: ['local'] },
    });
    expect(route('GET', '/v3/kafka/local/consumer', watches, now)).toEqual({
      status: 200,
      body: { error: false, consumers: ['billing', 'orders-fulfilment'] },
    });
  });

  it("answers a group's lag in full and its status with the partitions not OK", () => {
    const lag = route('GET', '/v3/kafka/local/consumer/orders-fulfilment/lag', watches, now);
    expect(lag.status).toBe(200);
    expect((lag.body as { status: { partitions: unknown[] } }).status.partitions).toHaveLength(3);
    const status = route('GET', '/v3/kafka/local/consumer/orders-fulfilment/status/', watches, now);
    const body = status.body as { status: { status: string; partitions: { status: string }[] } };
    expect(body.status.status).toBe('WARN');
    expect(body.status.partitions.map((p) => p.status)).toEqual(['WARN', 'NO_COMMIT']);
  });

  it('answers the overview of every cluster and the kept rounds of a group', () => {
    const other = watched('us-1');
    const overview = route('GET', '/api/overview', [watch, other.watch], now).body as {
      refreshMs: number;
      clusters: { name: string; ready: boolean }[];
      groups: { cluster: string; group: string; totalLag: number; partitions: number }[];
    };
    expect(overview.refreshMs).toBe(5_000);
    expect(overview.clusters.map((c) => [c.name, c.ready])).toEqual([
      ['local', true],
      ['us-1', true],
    ]);
    expect(overview.groups.map((g) => [g.cluster, g.group, g.totalLag, g.partitions])).toEqual([
      ['local', 'billing', 120, 3],
      ['local', 'orders-fulfilment', 120, 3],
      ['us-1', 'billing', 120, 3],
      ['us-1', 'orders-fulfilment', 120, 3],
    ]);
    expect(route('GET', '/api/history/us-1/billing', [watch, other.watch], now)).toEqual({
      status: 200,
      body: {
        error: false,
        history: [{ at: 1_700_000_000_000, totalLag: 120, maxLagSeconds: 12.5, status: 'WARN' }],
      },
    });
  });

  it.each<[string, string, number, string]>([
    ['GET', '/v3/kafka/local/consumer/nobody/lag', 404, 'consumer group "nobody" not found'],
    ['GET', '/v3/kafka/other/consumer', 404, 'cluster "other" not found; watched: "local"'],
    ['GET', '/v3/kafka/local', 404, 'try /v3/kafka/local/consumer'],
    [
      'GET',
      '/v3/kafka/local/consumer/orders-fulfilment',
      404,
      'try /v3/kafka/local/consumer/orders-fulfilment/status',
    ],
    ['GET', '/v3/kafka/local/consumer/orders-fulfilment/offsets', 404, 'no route'],
    ['GET', '/api/history/local/nobody', 404, 'consumer group "nobody" not found'],
    ['GET', '/api/history/local', 404, 'no route'],
    ['GET', '/elsewhere', 404, 'no route /elsewhere'],
    ['DELETE', '/v3/kafka/local/consumer/orders-fulfilment/lag', 405, 'DELETE is not allowed'],
    ['POST', '/readyz', 405, 'POST is not allowed'],
  ])('%s %s is a %i JSON error', (method, url, status, message) => {
    const result = route(method, url, watches, now);
    expect(result.status).toBe(status);
    expect(result.body).toMatchObject({ error: true });
    expect((result.body as { message: string }).message).toContain(message);
  });

  it('decodes group names in the path', () => {
    const monitor = new FakeMonitor();
    monitor.completeRound([sampleReport({ group: 'a b/c' })]);
    const one = [new ClusterWatch('local', monitor)];
    expect(route('GET', '/v3/kafka/local/consumer/a%20b%2Fc/lag', one, now).status).toBe(200);
  });

  it('healthz answers while the process does; readyz only when every cluster has a recent successful round', () => {
    const fresh = new ClusterWatch('eu-1', new FakeMonitor());
    expect(route('GET', '/healthz', [fresh], now).status).toBe(200);
    expect(route('GET', '/readyz', [watch, fresh], now)).toEqual({
      status: 503,
      body: { error: true, message: 'cluster "eu-1": no round completed yet' },
    });
    expect(route('GET', '/readyz', [watch], now).status).toBe(200);
    expect(route('GET', '/readyz', [watch], now + 20_000).body).toEqual({
      error: true,
      message: 'cluster "local": no round for 21 s', // the round ended at now - 960 ms
    });
  });
});

describe('lag HTTP server', () => {
  it('serves the page, its script and style, Prometheus and JSON, each with its type', async () => {
    const { watch } = watched();
    const server = createLagServer([watch], new LagMetrics([watch]));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const page = await fetch(`${base}/`);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await page.text();
      expect(html).toContain('<script src="dashboard.js" defer></script>');
      expect(html).not.toMatch(/https?:\/\//); // nothing from elsewhere
      const script = await fetch(`${base}/dashboard.js`);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await script.text()).toContain("getJson('api/overview')");
      expect((await fetch(`${base}/dashboard.css`)).status).toBe(200);
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      const families = parsePrometheusTextFormat(await metrics.text()).map((f) => f.name);
      expect(families).toContain('kafka_consumergroup_group_lag');
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
      const json = await fetch(`${base}/v3/kafka/local/consumer`);
      expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await json.json()).toEqual({
        error: false,
        consumers: ['billing', 'orders-fulfilment'],
      });
    } finally {
      server.close();
    }
  });
});
