// The quality targets of the retrieval issue, checked on one system's report.
import type { InScopeMetrics, OutOfScopeMetrics } from './metrics.js';

export interface TargetCheck {
  target: string;
  value: number | null;
  met: boolean | null;
}

interface Figures {
  inScope: { overall: InScopeMetrics; byKind: Record<string, InScopeMetrics> };
  outOfScope: { overall: OutOfScopeMetrics; byExpect: Record<string, OutOfScopeMetrics> } | null;
}

/** `null` when the run has no data for a target (e.g. no out-of-scope file). */
export function checkTargets({ inScope, outOfScope }: Figures): TargetCheck[] {
  const at = (value: number | null, ok: (v: number) => boolean) => ({
    value,
    met: value === null ? null : ok(value),
  });
  const kinds = Object.values(inScope.byKind).map((m) => m.hit1);
  const emergency = outOfScope?.byExpect.emergency;
  return [
    { target: 'hit@1 ≥ 0.95', ...at(inScope.overall.hit1, (v) => v >= 0.95) },
    { target: 'hit@3 ≥ 0.98', ...at(inScope.overall.hit3, (v) => v >= 0.98) },
    { target: 'every kind hit@1 ≥ 0.85', ...at(kinds.length ? Math.min(...kinds) : null, (v) => v >= 0.85) },
    { target: 'correct (clarify = ½) ≥ 0.90', ...at(inScope.overall.correct, (v) => v >= 0.9) },
    {
      target: 'out of scope answered with an FAQ ≤ 0.05',
      ...at(outOfScope ? outOfScope.overall.answeredWithFaq : null, (v) => v <= 0.05),
    },
    {
      target: 'emergencies answered with an FAQ = 0',
      ...at(emergency ? emergency.answeredWithFaq : null, (v) => v === 0),
    },
  ];
}

/** One figure of the first system against the others (the peers) in the same run. */
export interface PeerComparison {
  figure: string;
  value: number;
  peers: number[];
  /** Strictly better than every peer (a tie is not ahead). */
  ahead: boolean;
}

/**
 * The retrieval issue asks Minsheng to be ahead of both peers on every figure it targets: hit@1,
 * hit@3, MRR, correct, hit@1 of each kind (higher is better); confidently wrong answers, FAQ answers
 * to out-of-scope messages and to emergencies (lower is better).
 */
export function compareWithPeers([first, ...peers]: readonly Figures[]): PeerComparison[] {
  if (!first || peers.length === 0) return [];
  const rows: PeerComparison[] = [];
  const add = (figure: string, of: (f: Figures) => number | undefined, higherIsBetter: boolean) => {
    const value = of(first);
    const others = peers.map(of);
    if (value === undefined || others.some((v) => v === undefined)) return;
    const theirs = others as number[];
    const ahead = theirs.every((v) => (higherIsBetter ? value > v : value < v));
    rows.push({ figure, value, peers: theirs, ahead });
  };
  add('hit@1', (f) => f.inScope.overall.hit1, true);
  add('hit@3', (f) => f.inScope.overall.hit3, true);
  add('MRR', (f) => f.inScope.overall.mrr, true);
  add('correct (clarify = ½)', (f) => f.inScope.overall.correct, true);
  add('confidently wrong', (f) => f.inScope.overall.confidentlyWrong, false);
  add('out of scope answered with an FAQ', (f) => f.outOfScope?.overall.answeredWithFaq, false);
  add('emergencies answered with an FAQ', (f) => f.outOfScope?.byExpect.emergency?.answeredWithFaq, false);
  for (const kind of Object.keys(first.inScope.byKind)) add(`hit@1 ${kind}`, (f) => f.inScope.byKind[kind]?.hit1, true);
  return rows;
}
