import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createProducer } from '@org/kafka-producer';
import { jsonLogger } from '@org/kafka-core';
import { createTopic } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { testClient } from '../kafka-clients.js';
import { groupWithBacklog } from './group-backlog.js';
import { eventually, startLagServe, type OverviewGroup } from './lag-serve-process.js';

/** Debian's chromium (`.ci/run` installs it); CHROMIUM_PATH points elsewhere. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the test leaves the page's screenshot (the README shows a copy of it). */
export const screenshotPath = fileURLToPath(
  new URL('../../screenshots/kafka-lag-serve.png', import.meta.url),
);

describe('kafka-lag serve: the page, in a real headless browser', () => {
  const kafka = sharedKafka();

  it('shows every group with the numbers of the JSON routes, a group’s partitions and chart on click, without errors', async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `no browser at ${chromiumPath}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
      );
    }
    const brokers = kafka.bootstrapServers;
    const stamp = Date.now();
    // A group nobody runs, behind (STOP), and one that runs and keeps up (OK, one member).
    const stopped = `lag-page-${stamp}-billing`;
    await groupWithBacklog(brokers, {
      topic: `lag-page-${stamp}-invoices`,
      group: stopped,
      records: [50, 50],
      committed: [10, 20],
    });
    const liveTopic = `lag-page-${stamp}-orders`;
    const live = `lag-page-${stamp}-fulfilment`;
    await createTopic(brokers, { topic: liveTopic, partitions: 3 });
    const producer = createProducer({
      brokers: [...brokers],
      clientId: 'lag-page',
      logger: jsonLogger('warn'),
    });
    await producer.connect();
    await producer.send({
      topic: liveTopic,
      messages: Array.from({ length: 30 }, (_, i) => ({ key: `order-${i}`, value: `${i}` })),
    });
    await producer.disconnect();
    const consumer = testClient(brokers, 'fulfilment-1').consumer({ groupId: live });
    await consumer.connect();
    await consumer.subscribe({ topic: liveTopic, fromBeginning: true });
    await consumer.run({ eachMessage: () => Promise.resolve() });

    const serve = await startLagServe([
      '--brokers',
      brokers.join(','),
      '--group-pattern',
      `^lag-page-${stamp}-`,
      '--window',
      '2',
      '--interval-ms',
      '500',
    ]);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    try {
      // Wait until the rounds judged both groups and the live one caught up.
      let seen: unknown;
      const overview = await eventually(
        async () => {
          const { body } = await serve.getJson('/api/overview');
          const groups = body.groups as OverviewGroup[];
          seen = body;
          const done =
            groups.length === 2 &&
            groups.some((g) => g.group === stopped && g.status === 'STOP') &&
            groups.some(
              (g) => g.group === live && g.members === 1 && g.totalLag === 0 && g.status === 'OK',
            );
          return done ? groups : undefined;
        },
        'the stopped group at STOP and the live one caught up with one member',
        () => seen,
      );

      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${serve.base}/`);
      const rows = page.locator('#groups tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(2);
      for (const expected of overview) {
        const row = page.locator(`#groups tbody tr[data-group="${expected.group}"]`);
        const field = (name: string) => row.locator(`[data-field="${name}"]`).first().textContent();
        expect(await field('cluster')).toBe('local');
        expect(await field('status')).toBe(expected.status);
        expect(await field('state')).toBe(expected.state);
        expect(await field('members')).toBe(String(expected.members));
        expect(await field('totalLag')).toBe(expected.totalLag.toLocaleString('en-US'));
        // The colour goes with the word.
        // Runs in the page (this project's TypeScript has no DOM types, hence the cast).
        const colour = await row.locator('.status').evaluate((el) => {
          const page = globalThis as unknown as {
            getComputedStyle(e: unknown): { backgroundColor: string };
          };
          return page.getComputedStyle(el).backgroundColor;
        });
        expect(colour).toBe(expected.status === 'OK' ? 'rgb(26, 127, 55)' : 'rgb(207, 34, 46)');
      }

      // A click opens the group: its partitions as the lag route has them, and its chart.
      await page.locator(`#groups tbody tr[data-group="${stopped}"]`).click();
      await page.locator('#detail').waitFor({ state: 'visible' });
      const lag = await serve.getJson(`/v3/kafka/local/consumer/${stopped}/lag`);
      const partitions = (
        lag.body.status as {
          partitions: { partition: number; committed: string; lag: number; status: string }[];
        }
      ).partitions;
      const partitionRows = page.locator('#partitions tbody tr');
      expect(await partitionRows.count()).toBe(partitions.length);
      for (const p of partitions) {
        const row = page.locator(`#partitions tbody tr[data-partition="${p.partition}"]`);
        expect(await row.locator('[data-field="committed"]').textContent()).toBe(p.committed);
        expect(await row.locator('[data-field="lag"]').textContent()).toBe(String(p.lag));
        expect(await row.locator('[data-field="status"]').textContent()).toBe(p.status);
      }
      expect(page.url()).toContain(`#local/${stopped}`);
      // The chart draws the kept rounds: as many points as the history route has, at least 2.
      await eventually(async () =>
        (await page.locator('#chart-lag').getAttribute('data-points')) !== '0' ? true : undefined,
      );
      const history = (await serve.getJson(`/api/history/local/${stopped}`)).body
        .history as unknown[];
      expect(
        Number(await page.locator('#chart-lag').getAttribute('data-points')),
      ).toBeGreaterThanOrEqual(Math.min(2, history.length));
      expect(await page.locator('#chart-lag polyline').getAttribute('data-last')).toBe('70');

      // It refreshes itself: a later round's time shows without a reload.
      const first = Number(await page.locator('body').getAttribute('data-refreshed-at'));
      await eventually(async () =>
        Number(await page.locator('body').getAttribute('data-refreshed-at')) > first
          ? true
          : undefined,
      );

      await mkdir(fileURLToPath(new URL('../../screenshots/', import.meta.url)), {
        recursive: true,
      });
      await page.screenshot({ path: screenshotPath, fullPage: true });
      expect((await stat(screenshotPath)).size).toBeGreaterThan(10_000);
      // No script error, no refused resource (a CSP violation is a console error).
      expect(problems).toEqual([]);

      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    } finally {
      await browser.close();
      serve.child.kill('SIGKILL');
      await consumer.disconnect();
    }
  });
});
