import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '@org/kafka-core';
import { ClusterWatch } from './cluster-watch.js';
import { sampleReport } from './report-fixture.js';
import { StatusNotifier } from './status-notifier.js';
import { FakeMonitor } from './watch-fixture.js';
import { WebhookEndpoint, webhookDefaults } from './webhook-notifier.js';

/** A local HTTP receiver: each request's body, answered by `reply` (which may never answer). */
async function receiver(reply: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  const bodies: unknown[] = [];
  let arrived: () => void = () => undefined;
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      reply(bodies.length, req, res);
      arrived();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  servers.push(server);
  return {
    url: `http://127.0.0.1:${port}/hooks/T000/secret-token`,
    bodies,
    /** Resolves once `n` requests have arrived. */
    until: (n: number) =>
      new Promise<void>((resolve) => {
        arrived = () => bodies.length >= n && resolve();
        arrived();
      }),
  };
}
const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close().closeAllConnections();
});

function recordingLogger() {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: object) =>
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
  return { logger, lines };
}
const quick = { ...webhookDefaults, backoffMs: 5, maxBackoffMs: 20, timeoutMs: 2_000 };

describe('webhook delivery', () => {
  it('retries a 503 with backoff and delivers in order, one message at a time', async () => {
    const r = await receiver((n, _req, res) => res.writeHead(n <= 2 ? 503 : 200).end());
    const { logger } = recordingLogger();
    const endpoint = new WebhookEndpoint(r.url, logger, quick);
    endpoint.post({ text: 'first' });
    endpoint.post({ text: 'second' });
    await r.until(4);
    await endpoint.close(1_000);
    expect(r.bodies).toEqual([
      { text: 'first' },
      { text: 'first' },
      { text: 'first' },
      { text: 'second' },
    ]);
    expect(endpoint.counts).toEqual({ delivered: 2, failed: 0, dropped: 0 });
  });

  it('gives up at once on a 400, and its log names the origin, never the token in the path', async () => {
    const r = await receiver((_n, _req, res) => res.writeHead(400).end());
    const { logger, lines } = recordingLogger();
    const endpoint = new WebhookEndpoint(r.url, logger, quick);
    endpoint.post({ text: 'refused' });
    endpoint.post({ text: 'next' });
    await r.until(2);
    await endpoint.close(1_000);
    expect(r.bodies).toHaveLength(2);
    expect(endpoint.counts).toEqual({ delivered: 0, failed: 2, dropped: 0 });
    const origin = new URL(r.url).origin;
    expect(lines).toContain(
      `warn notification not delivered ${JSON.stringify({ endpoint: origin, attempts: 1, failure: 'HTTP 400' })}`,
    );
    expect(lines.join('\n')).not.toContain('secret-token');
  });

  it('retries a refused connection up to its attempts, then logs the code', async () => {
    const r = await receiver(() => undefined);
    const url = r.url;
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    const { logger, lines } = recordingLogger();
    const endpoint = new WebhookEndpoint(url, logger, { ...quick, attempts: 3 });
    endpoint.post({ text: 'nobody there' });
    await endpoint.close(5_000);
    expect(endpoint.counts.failed).toBe(1);
    expect(lines.filter((l) => l.startsWith('debug notification failed; retrying'))).toHaveLength(
      2,
    );
    expect(lines.at(-1)).toContain('"attempts":3,"failure":"ECONNREFUSED"');
  });

  it('at close, waits for the grace time, then aborts what is left and says how much', async () => {
    const r = await receiver(() => undefined); // never answers
    const { logger, lines } = recordingLogger();
    const endpoint = new WebhookEndpoint(r.url, logger, { ...quick, timeoutMs: 600_000 });
    endpoint.post({ text: 'stuck' });
    endpoint.post({ text: 'behind it' });
    await r.until(1);
    await endpoint.close(50);
    expect(lines.at(-1)).toContain('notifications left undelivered at stop');
    expect(lines.at(-1)).toContain('"messages":2');
    endpoint.post({ text: 'after close' }); // ignored
    expect(r.bodies).toEqual([{ text: 'stuck' }]);
  });

  it('drops the oldest waiting message past the queue limit, never the one in flight', async () => {
    const r = await receiver((_n, _req, res) => res.writeHead(200).end());
    const { logger } = recordingLogger();
    const endpoint = new WebhookEndpoint(r.url, logger, { ...quick, queueLimit: 2 });
    for (const text of ['a', 'b', 'c', 'd']) endpoint.post({ text });
    await endpoint.close(5_000);
    // 'a' is in flight from the first post(); 'b' and 'c' wait; 'd' pushes 'b' out.
    expect(endpoint.counts).toEqual({ delivered: 3, failed: 0, dropped: 1 });
    expect(r.bodies).toEqual([{ text: 'a' }, { text: 'c' }, { text: 'd' }]);
  });

  it('refuses a URL that is not http or https', () => {
    expect(() => new WebhookEndpoint('file:///etc/passwd', recordingLogger().logger)).toThrow(
      'notify URL must be http or https, got file:',
    );
  });
});

describe('StatusNotifier', () => {
  it("posts each group's status change to every endpoint, with a text field and the report", async () => {
    const answer = (_n: number, _req: IncomingMessage, res: ServerResponse) =>
      res.writeHead(204).end();
    const [a, b] = [await receiver(answer), await receiver(answer)];
    const monitor = new FakeMonitor();
    const notifier = new StatusNotifier({
      urls: [a.url, b.url],
      logger: recordingLogger().logger,
      delivery: quick,
    });
    notifier.watch(new ClusterWatch('eu-1', monitor));
    const ok = sampleReport({ status: 'OK', severity: 'OK' });
    const stalled = sampleReport({ status: 'STALL', severity: 'ERR' });
    monitor.completeRound([ok]); // first seen OK: nothing
    monitor.completeRound([stalled]);
    monitor.completeRound([stalled]); // no change: nothing
    monitor.completeRound([ok]); // recovered
    await notifier.close(5_000);
    monitor.completeRound([stalled]); // closed: not watched any more
    for (const r of [a, b]) {
      const said = r.bodies as { text: string; status: string; recovered: boolean }[];
      expect(said.map(({ text, status, recovered }) => ({ text, status, recovered }))).toEqual([
        {
          text: '[eu-1] orders-fulfilment: OK → STALL (ERR), 120 records, 12.5 s behind, 1 members, state Stable',
          status: 'STALL',
          recovered: false,
        },
        {
          text: '[eu-1] orders-fulfilment recovered: STALL → OK (OK), 120 records, 12.5 s behind',
          status: 'OK',
          recovered: true,
        },
      ]);
      expect((r.bodies[0] as { report: { group: string } }).report.group).toBe('orders-fulfilment');
    }
    expect(notifier.counts).toEqual({ delivered: 4, failed: 0, dropped: 0 });
  });

  it('takes an OK from a window not yet full as "not judged yet": a group found stopped is STOP, not OK → STOP', () => {
    const notifier = new StatusNotifier({ urls: [], logger: recordingLogger().logger });
    const judging = sampleReport({ status: 'OK', severity: 'OK', complete: 0.5 });
    expect(notifier.observe('eu-1', judging)).toBeUndefined();
    expect(
      notifier.observe('eu-1', sampleReport({ status: 'STOP', severity: 'ERR' }))?.text,
    ).toMatch(/^\[eu-1\] orders-fulfilment: STOP \(ERR\), /);
    // Once judged, an incomplete window (a partition added) changes nothing.
    expect(notifier.observe('eu-1', judging)).toBeUndefined();
    expect(
      notifier.observe('eu-1', sampleReport({ status: 'OK', severity: 'OK' }))?.recovered,
    ).toBe(true);
  });
});
