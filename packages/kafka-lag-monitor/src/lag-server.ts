import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { packageDirectory } from '@org/kafka-core';
import type { ClusterWatch } from './cluster-watch.js';
import type { LagMetrics } from './prometheus-metrics.js';

export interface RouteResult {
  readonly status: number;
  readonly body: unknown;
}

const error = (status: number, message: string): RouteResult => ({
  status,
  body: { error: true, message },
});

/** The page's rows: every group of every cluster, without partitions. */
function overview(watches: readonly ClusterWatch[], now: number) {
  return {
    error: false,
    at: now,
    // The page refreshes as often as the fastest cluster's rounds, at most once a second.
    refreshMs: Math.max(1_000, Math.min(...watches.map((w) => w.monitor.options.intervalMs))),
    clusters: watches.map((w) => ({
      name: w.name,
      ...w.readiness(now),
      lastRound: w.rounds.last
        ? { at: w.rounds.last.at, durationMs: w.rounds.last.durationMs }
        : null,
    })),
    groups: watches.flatMap((w) =>
      w.monitor
        .reports()
        .map(({ partitions: _partitions, memberList: _members, ...summary }) => ({
          cluster: w.name,
          ...summary,
          partitions: _partitions.length,
        }))
        .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0)),
    ),
  };
}

/**
 * The JSON routes (pure, for tests). Burrow's v3 shapes:
 * - `GET /v3/kafka`: the cluster names;
 * - `GET /v3/kafka/<cluster>/consumer`: the watched groups of a cluster;
 * - `GET /v3/kafka/<cluster>/consumer/<group>/status`: status with the partitions not OK;
 * - `GET /v3/kafka/<cluster>/consumer/<group>/lag`: the whole report.
 * And ours: `GET /api/overview` (every group of every cluster, for the page),
 * `GET /api/history/<cluster>/<group>` (the kept rounds), `GET /healthz` (the process
 * answers) and `GET /readyz` (every cluster's last round succeeded and is recent).
 */
export function route(
  method: string,
  url: string,
  watches: readonly ClusterWatch[],
  now = Date.now(),
): RouteResult {
  const path = new URL(url, 'http://localhost').pathname.replace(/\/+$/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const burrow = parts[0] === 'v3' && parts[1] === 'kafka' && parts.length <= 6;
  const ours =
    path === '/healthz' ||
    path === '/readyz' ||
    path === '/api/overview' ||
    (parts[0] === 'api' && parts[1] === 'history' && parts.length === 4);
  if (!burrow && !ours) return error(404, `no route ${path}`);
  if (method !== 'GET') return error(405, `${method} is not allowed; use GET`);
  if (path === '/healthz') return { status: 200, body: { error: false, message: 'ok' } };
  if (path === '/readyz') {
    const waiting = watches.map((w) => w.readiness(now)).filter((r) => !r.ready);
    if (waiting.length > 0) return error(503, waiting.map((r) => r.reason).join('; '));
    return { status: 200, body: { error: false, message: 'ready' } };
  }
  if (path === '/api/overview') return { status: 200, body: overview(watches, now) };
  if (path === '/v3/kafka') {
    return { status: 200, body: { error: false, clusters: watches.map((w) => w.name) } };
  }
  const clusterName = parts[2]!;
  const watch = watches.find((w) => w.name === clusterName);
  if (!watch) {
    const names = watches.map((w) => `"${w.name}"`).join(', ');
    return error(404, `cluster "${clusterName}" not found; watched: ${names}`);
  }
  if (parts[0] === 'api') {
    const group = parts[3]!;
    if (!watch.monitor.report(group)) return error(404, `consumer group "${group}" not found`);
    return { status: 200, body: { error: false, history: watch.history(group) } };
  }
  if (parts.length === 3) return error(404, `no route ${path}; try ${path}/consumer`);
  if (parts[3] !== 'consumer') return error(404, `no route ${path}`);
  if (parts.length === 4) {
    const consumers = watch.monitor
      .reports()
      .map((r) => r.group)
      .sort();
    return { status: 200, body: { error: false, consumers } };
  }
  const group = parts[4]!;
  const report = watch.monitor.report(group);
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

/** The page and its script, served by the process itself: no build step, no CDN. */
const assets = join(packageDirectory(import.meta.url), 'assets');
const page: Record<string, { type: string; file: string }> = {
  '/': { type: 'text/html; charset=utf-8', file: 'dashboard.html' },
  '/dashboard.js': { type: 'text/javascript; charset=utf-8', file: 'dashboard.js' },
  '/dashboard.css': { type: 'text/css; charset=utf-8', file: 'dashboard.css' },
};
const pageFiles = new Map(
  Object.entries(page).map(([path, { type, file }]) => [
    path,
    { type, body: readFileSync(join(assets, file)) },
  ]),
);

// The page loads only its own script and style and reads only this origin.
const securityHeaders = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * An HTTP server for the watched clusters: the page at `/`, Prometheus at `/metrics`, and
 * the JSON routes of `route`. Listen and close it yourself.
 */
export function createLagServer(watches: readonly ClusterWatch[], metrics: LagMetrics): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    const file = pageFiles.get(path);
    if ((file || path === '/metrics') && method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'application/json; charset=utf-8', allow: 'GET' });
      res.end(`${JSON.stringify({ error: true, message: `${method} is not allowed; use GET` })}\n`);
      return;
    }
    if (file) {
      res.writeHead(200, {
        'content-type': file.type,
        'cache-control': 'no-cache',
        ...securityHeaders,
      });
      res.end(method === 'HEAD' ? undefined : file.body);
      return;
    }
    if (path === '/metrics') {
      metrics.render().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.contentType });
          res.end(text);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(`metrics failed: ${(err as Error).message}\n`);
        },
      );
      return;
    }
    const { status, body } = route(method, req.url ?? '/', watches);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      ...securityHeaders,
    });
    res.end(`${JSON.stringify(body, null, 2)}\n`);
  });
}
