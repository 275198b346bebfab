// The health report: counts, two charts drawn as inline SVG (no library, nothing from a CDN),
// tables, and the CSV export. Data is inserted as text only.
import { api, el, mountShell } from '/console/shell.js';
import { errorText } from '/console/shell-text.js';
import { healthText as T } from '/console/health-text.js';

const SVG = 'http://www.w3.org/2000/svg';
const main = document.getElementById('main');
const statusLine = el('p', { class: 'status', role: 'status' });

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Vertical bars of the weekly abstain rate (0–100%), one per week, with a title per bar. */
function abstainChart(weeks) {
  const width = 640,
    height = 220,
    left = 40,
    bottom = 30,
    top = 10;
  const plotH = height - bottom - top;
  const step = (width - left - 10) / Math.max(weeks.length, 1);
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    role: 'img',
    'aria-labelledby': 'abstain-title abstain-desc',
  });
  chart.append(
    svg('title', { id: 'abstain-title' }, T.abstainChart),
    svg('desc', { id: 'abstain-desc' }, T.abstainChartDesc),
  );
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const y = top + plotH * (1 - tick);
    chart.append(svg('line', { class: 'axis', x1: left, x2: width - 10, y1: y, y2: y }));
    chart.append(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, `${tick * 100}%`));
  }
  weeks.forEach((w, i) => {
    const rate = w.abstainRate ?? 0;
    const h = plotH * rate;
    const x = left + i * step + step * 0.15;
    const bar = svg('rect', {
      class: 'bar',
      x,
      y: top + plotH - h,
      width: step * 0.7,
      height: Math.max(h, w.abstainRate === null ? 0 : 1),
      'data-week': w.week,
    });
    bar.append(svg('title', {}, T.weekDetail(w)));
    chart.append(bar);
    chart.append(svg('text', { x: x + step * 0.35, y: height - 10, 'text-anchor': 'middle' }, T.weekLabel(w.week)));
  });
  return chart;
}

/** Horizontal bars of the top clusters by number of questions. */
function clusterChart(clusters) {
  const rowH = 26,
    labelW = 260,
    width = 640;
  const height = Math.max(clusters.length, 1) * rowH + 10;
  const max = Math.max(1, ...clusters.map((c) => c.questionCount));
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    role: 'img',
    'aria-labelledby': 'cluster-title',
  });
  chart.append(svg('title', { id: 'cluster-title' }, T.clusterChart));
  clusters.forEach((c, i) => {
    const y = 5 + i * rowH;
    const label = c.label.length > 22 ? `${c.label.slice(0, 21)}…` : c.label;
    chart.append(svg('text', { x: labelW - 6, y: y + 16, 'text-anchor': 'end' }, label));
    const w = ((width - labelW - 50) * c.questionCount) / max;
    const bar = svg('rect', { class: 'bar alt', x: labelW, y: y + 4, width: Math.max(w, 1), height: rowH - 8 });
    bar.append(svg('title', {}, T.clusterDetail(c)));
    chart.append(bar, svg('text', { x: labelW + w + 6, y: y + 16 }, String(c.questionCount)));
  });
  return chart;
}

function table(caption, columns, rows) {
  return el(
    'table',
    {},
    el('caption', { class: 'sr' }, caption),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        columns.map(([, label]) => el('th', { scope: 'col' }, label)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.length
        ? rows.map((r) =>
            el(
              'tr',
              {},
              columns.map(([key]) => el('td', {}, r[key] === null || r[key] === undefined ? '' : String(r[key]))),
            ),
          )
        : el('tr', {}, el('td', { colspan: String(columns.length), class: 'muted' }, T.none)),
    ),
  );
}

async function exportCsv() {
  try {
    const response = await api('/api/console/health.csv', { raw: true });
    const blob = await response.blob();
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'health.csv';
    const link = el('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    statusLine.textContent = T.exported;
    statusLine.classList.remove('error');
  } catch (error) {
    statusLine.textContent = errorText(error);
    statusLine.classList.add('error');
  }
}

async function start() {
  document.title = `${T.title} · 民声`;
  const user = await mountShell('health');
  const r = await api('/api/console/health');
  const thisWeek = r.weeks.at(-1);
  const day = (iso) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: user.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date(iso));
  const stat = (label, value, key) =>
    el('div', { class: 'card stat', 'data-stat': key }, el('b', {}, String(value)), label);
  main.replaceChildren(
    el(
      'div',
      { class: 'row' },
      el('h1', { class: 'grow' }, T.title),
      el('button', { type: 'button', class: 'primary', onclick: exportCsv }, T.export),
    ),
    el(
      'p',
      { class: 'intro' },
      T.intro,
      ' ',
      el(
        'span',
        { class: 'muted' },
        T.generatedAt(
          // The hotline's time zone (TIMEZONE), as every other date in the console, whatever the browser's.
          new Date(r.generatedAt).toLocaleString('zh-CN', { hour12: false, timeZone: user.timeZone }),
        ),
      ),
    ),
    statusLine,
    el(
      'div',
      { class: 'stats' },
      stat(T.stats.neverHit, r.neverHit.length, 'never-hit'),
      stat(T.stats.expiring, r.expiring.length, 'expiring'),
      stat(T.stats.abstainRate, T.percent(thisWeek?.abstainRate ?? null), 'abstain-rate'),
      stat(T.stats.clusters, r.topClusters.length, 'clusters'),
    ),
    el(
      'section',
      { class: 'card' },
      el('h2', {}, T.abstainChart),
      abstainChart(r.weeks),
      table(
        T.abstainChart,
        [
          ['week', T.columns.week],
          ['answered', T.columns.answered],
          ['clarified', T.columns.clarified],
          ['abstained', T.columns.abstained],
          ['rate', T.columns.rate],
        ],
        r.weeks.map((w) => ({ ...w, rate: T.percent(w.abstainRate) })),
      ),
    ),
    el(
      'section',
      { class: 'card' },
      el('h2', {}, T.clusterChart),
      r.topClusters.length ? clusterChart(r.topClusters) : el('p', { class: 'muted' }, T.none),
    ),
    el(
      'section',
      { class: 'card' },
      el('h2', {}, T.expiring),
      table(
        T.expiring,
        [
          ['id', T.columns.id],
          ['question', T.columns.question],
          ['department', T.columns.department],
          ['validTo', T.columns.validTo],
          ['daysLeft', T.columns.daysLeft],
        ],
        r.expiring.map((e) => ({ ...e, validTo: day(e.validTo) })),
      ),
    ),
    el(
      'section',
      { class: 'card' },
      el('h2', {}, T.neverHit),
      table(
        T.neverHit,
        [
          ['id', T.columns.id],
          ['question', T.columns.question],
          ['category', T.columns.category],
          ['department', T.columns.department],
        ],
        r.neverHit,
      ),
    ),
  );
}

start().catch((error) => {
  statusLine.textContent = errorText(error);
  statusLine.classList.add('error');
  main.append(statusLine);
});
