// The page of `kafka-lag serve`: plain browser JavaScript, served by the process, no build
// step and nothing from elsewhere (the Content-Security-Policy allows this origin only).
// Every value is written with textContent, never as HTML: group and topic names are data.
'use strict';

const numbers = new Intl.NumberFormat('en-US');
const state = { selected: parseHash(), refreshMs: 5000, timer: undefined };

function parseHash() {
  const [cluster, group] = location.hash.slice(1).split('/').map(decodeURIComponent);
  return cluster && group ? { cluster, group } : undefined;
}

function el(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function cell(text, field, className) {
  const td = el('td', field ? { 'data-field': field } : {}, text);
  if (className) td.className = className;
  return td;
}

function statusBadge(status, severity) {
  return el('span', { class: `status ${severity}`, 'data-field': 'status' }, status);
}

const count = (n) => (n === null || n === undefined ? '–' : numbers.format(n));
const seconds = (s) => (s === null || s === undefined ? '–' : `${numbers.format(s)} s`);

async function getJson(path) {
  const res = await fetch(path, { cache: 'no-store' });
  const body = await res.json();
  if (!res.ok) throw new Error(body.message || `HTTP ${res.status}`);
  return body;
}

function renderClusters(clusters) {
  const box = document.getElementById('clusters');
  box.replaceChildren(
    ...clusters.map((c) => {
      const span = el(
        'span',
        {
          class: c.ready ? 'cluster' : 'cluster down',
          'data-cluster': c.name,
          title: c.reason || '',
        },
        c.ready
          ? `${c.name}: round ${numbers.format(c.lastRound.durationMs)} ms`
          : `${c.name}: ${c.reason}`,
      );
      return span;
    }),
  );
}

function renderGroups(groups) {
  const body = document.querySelector('#groups tbody');
  document.getElementById('empty').hidden = groups.length > 0;
  body.replaceChildren(
    ...groups.map((g) => {
      const row = el('tr', { 'data-cluster': g.cluster, 'data-group': g.group });
      const selected = state.selected;
      if (selected && selected.cluster === g.cluster && selected.group === g.group) {
        row.classList.add('selected');
      }
      const status = cell('', undefined);
      status.append(statusBadge(g.status, g.severity));
      row.append(
        cell(g.cluster, 'cluster'),
        cell(g.group, 'group'),
        status,
        cell(g.state, 'state'),
        cell(count(g.members), 'members', 'number'),
        cell(count(g.totalLag), 'totalLag', 'number'),
        cell(seconds(g.maxLagSeconds), 'maxLagSeconds', 'number'),
        cell(g.complete >= 1 ? 'full' : `${Math.round(g.complete * 100)}%`, 'complete', 'number'),
      );
      row.addEventListener('click', () => select(g.cluster, g.group));
      return row;
    }),
  );
}

function select(cluster, group) {
  state.selected = { cluster, group };
  location.hash = `${encodeURIComponent(cluster)}/${encodeURIComponent(group)}`;
  void refresh();
}

function renderPartitions(report) {
  const body = document.querySelector('#partitions tbody');
  body.replaceChildren(
    ...report.partitions.map((p) => {
      const row = el('tr', { 'data-topic': p.topic, 'data-partition': String(p.partition) });
      const severity =
        p.status === 'NO_COMMIT'
          ? 'NONE'
          : p.status === 'OK'
            ? 'OK'
            : p.status === 'WARN'
              ? 'WARN'
              : 'ERR';
      const status = cell('', undefined);
      status.append(statusBadge(p.status, severity));
      row.append(
        cell(p.topic, 'topic'),
        cell(String(p.partition), 'partition', 'number'),
        cell(p.logEnd, 'logEnd', 'number'),
        cell(p.committed ?? '–', 'committed', 'number'),
        cell(count(p.lag), 'lag', 'number'),
        cell(seconds(p.lagSeconds), 'lagSeconds', 'number'),
        status,
        cell(p.owner ? `${p.owner} (${p.ownerHost})` : '–', 'owner'),
      );
      return row;
    }),
  );
}

const svgNs = 'http://www.w3.org/2000/svg';
function svg(tag, attributes, text) {
  const node = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A line of `values` over `times`, from zero to the greatest value, with its scale. */
function drawChart(target, times, values, unit) {
  const chart = document.getElementById(target);
  const width = 600;
  const height = 180;
  const left = 60;
  const bottom = 20;
  const known = values.map((v, i) => [times[i], v]).filter(([, v]) => v !== null);
  chart.replaceChildren();
  chart.setAttribute('data-points', String(known.length));
  if (known.length === 0) {
    chart.append(svg('text', { x: left, y: height / 2 }, 'not known yet'));
    return;
  }
  const max = Math.max(...known.map(([, v]) => v), 1);
  const first = known[0][0];
  const span = Math.max(known[known.length - 1][0] - first, 1);
  const x = (t) => left + ((t - first) / span) * (width - left - 10);
  const y = (v) => height - bottom - (v / max) * (height - bottom - 10);
  chart.append(
    svg('line', {
      class: 'axis',
      x1: left,
      y1: height - bottom,
      x2: width - 10,
      y2: height - bottom,
    }),
    svg('line', { class: 'axis', x1: left, y1: 10, x2: left, y2: height - bottom }),
    svg('text', { x: 4, y: 16 }, `${numbers.format(max)} ${unit}`),
    svg('text', { x: 4, y: height - bottom }, `0 ${unit}`),
    svg('text', { x: left, y: height - 4 }, new Date(first).toLocaleTimeString()),
    svg(
      'text',
      { x: width - 80, y: height - 4 },
      new Date(known[known.length - 1][0]).toLocaleTimeString(),
    ),
    svg('polyline', {
      class: 'series',
      'data-last': known[known.length - 1][1],
      points: known.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' '),
    }),
  );
}

async function refreshDetail() {
  const detail = document.getElementById('detail');
  const selected = state.selected;
  if (!selected) {
    detail.hidden = true;
    return;
  }
  const where = `${encodeURIComponent(selected.cluster)}/consumer/${encodeURIComponent(selected.group)}`;
  const [lag, history] = await Promise.all([
    getJson(`v3/kafka/${where}/lag`),
    getJson(
      `api/history/${encodeURIComponent(selected.cluster)}/${encodeURIComponent(selected.group)}`,
    ),
  ]);
  const report = lag.status;
  document.getElementById('detail-title').textContent =
    `${selected.group} on ${selected.cluster}: ${report.status}, ${count(report.totalLag)} records, ` +
    `${report.members} members (${report.memberList.map((m) => `${m.clientId}@${m.host}`).join(', ') || 'none'})`;
  renderPartitions(report);
  const times = history.history.map((p) => p.at);
  drawChart(
    'chart-lag',
    times,
    history.history.map((p) => p.totalLag),
    'records',
  );
  drawChart(
    'chart-seconds',
    times,
    history.history.map((p) => p.maxLagSeconds),
    's',
  );
  detail.hidden = false;
}

async function refresh() {
  clearTimeout(state.timer);
  const problem = document.getElementById('problem');
  try {
    const overview = await getJson('api/overview');
    state.refreshMs = overview.refreshMs;
    renderClusters(overview.clusters);
    renderGroups(overview.groups);
    await refreshDetail();
    problem.hidden = true;
    document.getElementById('refreshed').textContent =
      `updated ${new Date(overview.at).toLocaleTimeString()}, every ${state.refreshMs / 1000} s`;
    document.body.dataset.refreshedAt = String(overview.at);
  } catch (err) {
    // Keep what is shown; say that it is stale and why.
    problem.textContent = `Not updated: ${err.message}`;
    problem.hidden = false;
  }
  state.timer = setTimeout(() => void refresh(), state.refreshMs);
}

window.addEventListener('hashchange', () => {
  state.selected = parseHash();
  void refresh();
});
void refresh();
