import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectionOptions, Logger } from '@org/kafka-core';
import { ClusterWatch } from './cluster-watch.js';
import { LagMonitor } from './lag-monitor.js';
import type { LagMonitorOptions } from './options.js';
import { createLagServer } from './lag-server.js';
import type { Severity } from './partition-status.js';
import { LagMetrics } from './prometheus-metrics.js';
import { StatusNotifier } from './status-notifier.js';
import type { WebhookOptions } from './webhook-notifier.js';

/** What `kafka-lag serve` runs: one monitor per cluster, one server, one notifier. */
export interface LagServiceOptions {
  /** Each cluster by the name its routes and labels carry, with its connection options. */
  readonly clusters: readonly {
    readonly name: string;
    readonly connection: Omit<ConnectionOptions, 'logger'>;
  }[];
  /** Group selection and status rules, the same for every cluster. */
  readonly monitor: Pick<
    LagMonitorOptions,
    'groups' | 'groupPattern' | 'intervalMs' | 'window' | 'allowedLag'
  >;
  readonly host: string;
  readonly port: number;
  /** Rounds kept per group for the page's chart. */
  readonly history: number;
  readonly notify: {
    readonly urls: readonly string[];
    readonly minSeverity: Severity;
    readonly delivery?: Partial<WebhookOptions>;
  };
  readonly logger: Logger;
}

export interface LagService {
  /** The base URL, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly watches: readonly ClusterWatch[];
  readonly notifier: StatusNotifier;
  /** Stops serving, gives alerts a grace time, stops the monitors. */
  close(): Promise<void>;
}

/**
 * Starts serving: the HTTP server listens first (so `/readyz` says what the first rounds are
 * doing), then each cluster's monitor starts. A cluster that cannot be reached keeps being
 * tried at every interval and shows as not ready; only what retrying cannot mend (a refused
 * login) stops the service, with everything started so far stopped again.
 */
export async function startLagService(options: LagServiceOptions): Promise<LagService> {
  const monitors = options.clusters.map(
    (c) =>
      new LagMonitor({
        ...c.connection,
        ...options.monitor,
        clientId: c.connection.clientId ?? 'kafka-lag',
        // The process's own /metrics is its exposition; no OpenTelemetry SDK runs here.
        metrics: false,
        logger: options.logger,
      }),
  );
  const watches = options.clusters.map(
    (c, i) => new ClusterWatch(c.name, monitors[i]!, options.history),
  );
  const notifier = new StatusNotifier({ ...options.notify, logger: options.logger });
  for (const watch of watches) notifier.watch(watch);
  const server = createLagServer(watches, new LagMetrics(watches));
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await closeServer(server);
      await notifier.close();
      await Promise.all(monitors.map((m) => m.stop()));
      for (const w of watches) w.close();
    })());
  try {
    server.listen(options.port, options.host);
    await once(server, 'listening');
    await Promise.all(monitors.map((m) => m.start()));
  } catch (err) {
    await close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}`, watches, notifier, close };
}

/** Stops accepting, lets answers in progress finish, and drops idle keep-alive connections. */
async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const done = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await done;
}
