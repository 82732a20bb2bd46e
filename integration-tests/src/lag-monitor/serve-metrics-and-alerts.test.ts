import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { runKafkaJavaTool } from '@org/kafka-testkit';
import { sharedKafka } from '@org/kafka-testkit/vitest';
import { groupWithBacklog } from './group-backlog.js';
import { eventually, startLagServe } from './lag-serve-process.js';

interface Alert {
  text: string;
  cluster: string;
  group: string;
  status: string;
  recovered: boolean;
  report: { totalLag: number };
}

/** A local webhook receiver that answers 503 to every first try, to make serve retry. */
async function webhookReceiver() {
  const alerts: Alert[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests++;
      if (requests % 2 === 1) {
        res.writeHead(503).end();
        return;
      }
      alerts.push(JSON.parse(body) as Alert);
      res.writeHead(200).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T0/very-secret-token`;
  return { url, alerts, requests: () => requests, close: () => server.close() };
}

describe('kafka-lag serve: Prometheus metrics, several clusters and alerts, end to end', () => {
  const kafka = sharedKafka();

  it('exports what the JSON routes say under kafka-lag-exporter names for each cluster, and posts each status change and its recovery', async () => {
    const topic = `lag-serve-${Date.now()}`;
    const group = `${topic}-group`;
    await groupWithBacklog(kafka.bootstrapServers, {
      topic,
      group,
      records: [50, 50, 50],
      committed: [10, 20, 50],
    });
    const brokers = kafka.bootstrapServers.join(',');
    const receiver = await webhookReceiver();
    // Two clusters in one process: the same cluster under two names, which is what a
    // second cluster looks like to the monitor (a name, brokers, its own rounds).
    const serve = await startLagServe(
      [
        '--cluster',
        `east=${brokers}`,
        '--cluster',
        `west=${brokers}`,
        '--group',
        group,
        '--window',
        '2',
        '--interval-ms',
        '300',
        '--notify-min-severity',
        'ERR',
      ],
      { KAFKA_LAG_NOTIFY: receiver.url },
    );
    try {
      // Nobody consumes and two partitions have lag: STOP, said once per cluster.
      await eventually(() => (receiver.alerts.length >= 2 ? true : undefined));
      expect(
        receiver.alerts.map((a) => [a.cluster, a.group, a.status, a.recovered]).sort(),
      ).toEqual([
        ['east', group, 'STOP', false],
        ['west', group, 'STOP', false],
      ]);
      expect(receiver.alerts[0]!.text).toContain(`${group}: STOP (ERR), 70 records`);
      expect(receiver.alerts[0]!.report.totalLag).toBe(70);

      const scrape = await fetch(`${serve.base}/metrics`);
      expect(scrape.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      const families = new Map(
        parsePrometheusTextFormat(await scrape.text()).map((f) => [f.name, f]),
      );
      for (const cluster of ['east', 'west']) {
        const lag = await serve.getJson(`/v3/kafka/${cluster}/consumer/${group}/lag`);
        const report = lag.body.status as {
          partitions: { partition: number; lag: number; committed: string; logEnd: string }[];
        };
        for (const p of report.partitions) {
          const sample = (name: string) =>
            families
              .get(name)!
              .metrics.filter(
                (m) =>
                  m.labels?.cluster_name === cluster &&
                  m.labels.group === group &&
                  m.labels.partition === String(p.partition),
              );
          expect(sample('kafka_consumergroup_group_lag').map((m) => Number(m.value))).toEqual([
            p.lag,
          ]);
          expect(sample('kafka_consumergroup_group_offset').map((m) => Number(m.value))).toEqual([
            Number(p.committed),
          ]);
          expect(sample('kafka_consumergroup_group_lag')[0]!.labels).toMatchObject({
            topic,
            member_host: '',
            consumer_id: '',
            client_id: '',
          });
        }
        const groupSample = (name: string) =>
          families
            .get(name)!
            .metrics.filter((m) => m.labels?.cluster_name === cluster && m.labels.group === group);
        expect(
          groupSample('kafka_consumergroup_group_sum_lag').map((m) => Number(m.value)),
        ).toEqual([70]);
        expect(
          groupSample('kafka_consumergroup_group_max_lag').map((m) => [
            m.labels?.is_simple_consumer,
            Number(m.value),
          ]),
        ).toEqual([['false', 40]]); // committed through a member (kafkajs setOffsets)
        const up = families
          .get('kafka_lag_monitor_up')!
          .metrics.find((m) => m.labels?.cluster === cluster);
        expect(up?.value).toBe('1');
        const status = families
          .get('kafka_lag_monitor_group_status')!
          .metrics.find((m) => m.labels?.cluster === cluster);
        expect(status?.value).toBe('4'); // STOP
      }

      // The group catches up (its offsets moved to the log end): recovered, once per cluster.
      // Through Kafka's own tool, which commits without joining the group: kafkajs's setOffsets
      // joins as a member for a moment, and a round that sees that member own the partitions
      // without moving them rightly says STALL (seen on a busy machine).
      await runKafkaJavaTool({
        mainClass: 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
        args: [
          '--bootstrap-server',
          brokers,
          '--group',
          group,
          '--topic',
          topic,
          '--reset-offsets',
          '--to-offset',
          '50',
          '--execute',
        ],
      });
      await eventually(() => (receiver.alerts.length >= 4 ? true : undefined));
      expect(
        receiver.alerts
          .slice(2)
          .map((a) => [a.cluster, a.status, a.recovered])
          .sort(),
      ).toEqual([
        ['east', 'OK', true],
        ['west', 'OK', true],
      ]);
      expect(receiver.alerts[2]!.text).toContain(`${group} recovered: STOP → OK (OK), 0 records`);
      // Every alert was refused once (503) and delivered on its retry.
      expect(receiver.requests()).toBe(8);

      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
      // The webhook's token never reaches the log.
      expect(serve.output()).not.toContain('very-secret-token');
    } finally {
      serve.child.kill('SIGKILL');
      receiver.close();
    }
  });
});
