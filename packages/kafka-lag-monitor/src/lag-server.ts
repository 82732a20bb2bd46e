import { createServer, type Server } from 'node:http';
import type { GroupLagReport, LagMonitor } from './lag-monitor.js';

export interface RouteResult {
  readonly status: number;
  readonly body: unknown;
}

/** What the monitor answers over HTTP; Burrow's v3 route shapes, JSON errors. */
export interface LagSource {
  reports(): readonly GroupLagReport[];
  report(group: string): GroupLagReport | undefined;
  readonly lastRound: { at: number; error?: Error } | undefined;
  readonly options: { readonly intervalMs: number };
}

const error = (status: number, message: string): RouteResult => ({
  status,
  body: { error: true, message },
});

/**
 * Routes a request (pure, for tests):
 * - `GET /healthz`: 200 while rounds succeed, 503 when the last failed or is overdue;
 * - `GET /v3/kafka/<cluster>/consumer`: the watched groups;
 * - `GET /v3/kafka/<cluster>/consumer/<group>/status`: status with the partitions not OK;
 * - `GET /v3/kafka/<cluster>/consumer/<group>/lag`: the whole report.
 */
export function route(
  method: string,
  url: string,
  source: LagSource,
  cluster: string,
  now = Date.now(),
): RouteResult {
  const path = new URL(url, 'http://localhost').pathname.replace(/\/+$/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const known =
    path === '/healthz' ||
    (parts[0] === 'v3' && parts[1] === 'kafka' && parts[3] === 'consumer' && parts.length <= 6);
  if (!known) return error(404, `no route ${path}`);
  if (method !== 'GET') return error(405, `${method} is not allowed; use GET`);
  if (path === '/healthz') {
    const last = source.lastRound;
    const overdue = !last || now - last.at > source.options.intervalMs * 3;
    if (last?.error) return error(503, `last sampling round failed: ${last.error.message}`);
    if (overdue) return error(503, 'no sampling round completed recently');
    return { status: 200, body: { error: false, message: 'ok', lastRound: last.at } };
  }
  if (parts[2] !== cluster)
    return error(404, `cluster "${parts[2]}" not found; this is "${cluster}"`);
  if (parts.length === 4) {
    return {
      status: 200,
      body: {
        error: false,
        consumers: source
          .reports()
          .map((r) => r.group)
          .sort(),
      },
    };
  }
  const group = parts[4]!;
  const report = source.report(group);
  if (!report) return error(404, `consumer group "${group}" not found`);
  if (parts.length === 5) return error(404, `no route ${path}; try ${path}/status or ${path}/lag`);
  if (parts[5] === 'lag') return { status: 200, body: { error: false, status: report } };
  if (parts[5] === 'status') {
    return {
      status: 200,
      body: {
        error: false,
        status: { ...report, partitions: report.partitions.filter((p) => p.status !== 'OK') },
      },
    };
  }
  return error(404, `no route ${path}`);
}

/** An HTTP server answering `route` for a running monitor. Listen and close it yourself. */
export function createLagServer(
  monitor: LagMonitor | LagSource,
  options: { cluster?: string } = {},
): Server {
  const cluster = options.cluster ?? 'local';
  return createServer((req, res) => {
    const { status, body } = route(req.method ?? 'GET', req.url ?? '/', monitor, cluster);
    const text = JSON.stringify(body, null, 2);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(`${text}\n`);
  });
}
