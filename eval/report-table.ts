// Plain-text rendering of an evaluation report: every system side by side.
import type { EvaluationReport, SystemReport } from './evaluation.js';
import type { InScopeMetrics, LatencySummary, OutOfScopeMetrics } from './metrics.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ms = (x: number | null) => (x === null ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const latency = (l: LatencySummary) => `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)}`;

/** Renders rows as aligned columns: the first left-aligned, the others right-aligned. */
export function renderTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const inScopeRows: [string, (m: InScopeMetrics) => string][] = [
  ['hit@1', (m) => pct(m.hit1)],
  ['hit@3', (m) => pct(m.hit3)],
  ['MRR', (m) => m.mrr.toFixed(3)],
  ['correct (clarify with right entry = ½)', (m) => pct(m.correct)],
  ['answered right', (m) => pct(m.answeredRight)],
  ['confidently wrong (answered, wrong entry)', (m) => pct(m.confidentlyWrong)],
  ['clarified (right entry offered)', (m) => `${pct(m.clarified)} (${pct(m.clarifiedWithRight)})`],
  ['abstained (work-order offer)', (m) => pct(m.abstained)],
  ['other reply (emergency, intake, small talk)', (m) => pct(m.other)],
  ['latency ms p50 / p95 / p99', (m) => latency(m.latencyMs)],
];

const outOfScopeRows: [string, (m: OutOfScopeMetrics) => string][] = [
  ['handled as expected', (m) => pct(m.handledAsExpected)],
  ['answered with an FAQ entry', (m) => pct(m.answeredWithFaq)],
  ['clarified', (m) => pct(m.clarified)],
  ['abstained (work-order offer)', (m) => pct(m.abstained)],
  ['latency ms p50 / p95 / p99', (m) => latency(m.latencyMs)],
];

export function formatReport(report: EvaluationReport): string {
  const systems = report.systems;
  const names = systems.map((s) => s.system);
  const out: string[] = [];
  out.push(
    `knowledge base ${report.knowledgeBase.file}: ${report.knowledgeBase.entries} entries (${report.knowledgeBase.answerable} answerable)`,
    `queries ${report.queries.file}: ${report.queries.count}` +
      (report.outOfScope ? `; out of scope ${report.outOfScope.file}: ${report.outOfScope.count}` : ''),
    '',
  );

  const rows: string[][] = [[`in scope (${report.queries.count})`, ...names]];
  for (const [label, cell] of inScopeRows) rows.push([`  ${label}`, ...systems.map((s) => cell(s.inScope.overall))]);
  if (report.outOfScope) {
    rows.push([`out of scope (${report.outOfScope.count})`, ...names.map(() => '')]);
    for (const [label, cell] of outOfScopeRows)
      rows.push([`  ${label}`, ...systems.map((s) => (s.outOfScope ? cell(s.outOfScope.overall) : '—'))]);
  }
  rows.push(['setup ms (import + index, or training)', ...systems.map((s) => s.setupMs.toFixed(0))]);
  out.push(renderTable(rows), '');

  const kinds = Object.keys(report.queries.kinds);
  const byKind: string[][] = [
    ['by kind: hit@1 / correct / wrong', '', ...names],
    ...kinds.map((kind) => [
      kind,
      String(report.queries.kinds[kind]),
      ...systems.map((s) => {
        const m = s.inScope.byKind[kind];
        return m ? `${pct(m.hit1)} / ${pct(m.correct)} / ${pct(m.confidentlyWrong)}` : '—';
      }),
    ]),
  ];
  out.push(renderTable(byKind));

  if (report.outOfScope) {
    const expectations = Object.keys(report.outOfScope.expectations);
    const byExpect: string[][] = [
      ['out of scope: as expected / FAQ answered', '', ...names],
      ...expectations.map((expect) => [
        expect,
        String(report.outOfScope!.expectations[expect]),
        ...systems.map((s: SystemReport) => {
          const m = s.outOfScope?.byExpect[expect];
          return m ? `${pct(m.handledAsExpected)} / ${pct(m.answeredWithFaq)}` : '—';
        }),
      ]),
    ];
    out.push('', renderTable(byExpect));
  }
  const targets = systems[0]?.targets ?? [];
  if (targets.length) {
    const mark = (t: { value: number | null; met: boolean | null }) =>
      t.value === null ? '—' : `${t.met ? 'met' : 'MISSED'} ${t.value.toFixed(3)}`;
    out.push(
      '',
      renderTable([
        ['targets', ...names],
        ...targets.map((t, i) => [t.target, ...systems.map((s) => mark(s.targets[i]!))]),
      ]),
    );
  }
  if (report.comparison.length) {
    const ahead = report.comparison.filter((c) => c.ahead).length;
    const value = (figure: string, v: number) => (figure === 'MRR' ? v.toFixed(3) : pct(v));
    out.push(
      '',
      renderTable([
        [`${names[0]} against the peers`, ...names, 'ahead of every peer'],
        ...report.comparison.map((c) => [
          c.figure,
          value(c.figure, c.value),
          ...c.peers.map((v) => value(c.figure, v)),
          c.ahead ? 'yes' : 'NO',
        ]),
      ]),
      `${names[0]} is ahead of every peer on ${ahead} of ${report.comparison.length} figures`,
    );
  }
  for (const s of systems.filter((s) => s.misses)) {
    out.push('', `${s.system} misses (${s.misses!.length}): FILE:LINE kind expect → reply [entries] top 3 · message`);
    for (const m of s.misses!) {
      const rank = m.rank === undefined ? '' : ` rank ${m.rank || '-'}`;
      out.push(
        `  ${m.file}:${m.line} ${m.kind} ${m.expect}${rank} → ${m.reply} [${m.entries.join(' ')}] top ${m.top.join(' ')} · ${m.q}`,
      );
    }
  }
  const failing = systems.filter((s) => s.errors > 0);
  for (const s of failing) out.push('', `warning: ${s.errors} turns of ${s.system} failed inside the bot`);
  if (systems.length > 1) {
    out.push('', ...systems.map((s) => `${s.system}: ${s.description}`));
  }
  return out.join('\n');
}
