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
