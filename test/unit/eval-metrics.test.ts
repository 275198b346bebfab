import { describe, expect, it } from 'vitest';
import {
  handledAsExpected,
  hitAt,
  inScopeMetrics,
  outOfScopeMetrics,
  percentile,
  rankOf,
  type InScopeResult,
} from '../../eval/metrics.js';
import { checkTargets, compareWithPeers } from '../../eval/targets.js';

const result = (expect: string, ranking: string[], outcome: InScopeResult['outcome'], kind = 'k'): InScopeResult => ({
  expect,
  kind,
  ranking,
  outcome,
  latencyMs: 1,
});

describe('ranking metrics', () => {
  it('finds the 1-based rank of the expected entry, 0 when absent', () => {
    expect(rankOf(['a', 'b', 'c'], 'a')).toBe(1);
    expect(rankOf(['a', 'b', 'c'], 'c')).toBe(3);
    expect(rankOf(['a', 'b', 'c'], 'z')).toBe(0);
    expect(hitAt(3, 3)).toBe(true);
    expect(hitAt(3, 4)).toBe(false);
    expect(hitAt(1, 0)).toBe(false);
  });

  it('computes hit@1, hit@3 and MRR over hand-built rankings', () => {
    const m = inScopeMetrics([
      result('a', ['a', 'b', 'c'], { kind: 'abstain' }), // rank 1
      result('a', ['b', 'a', 'c'], { kind: 'abstain' }), // rank 2
      result('a', ['b', 'c', 'd', 'a'], { kind: 'abstain' }), // rank 4
      result('a', ['b', 'c'], { kind: 'abstain' }), // absent
    ]);
    expect(m.queries).toBe(4);
    expect(m.hit1).toBe(0.25);
    expect(m.hit3).toBe(0.5);
    expect(m.mrr).toBeCloseTo((1 + 1 / 2 + 1 / 4 + 0) / 4, 10);
  });

  it('counts a right answer fully, a clarification offering the right entry as half, a wrong answer as wrong', () => {
    const m = inScopeMetrics([
      result('a', ['a'], { kind: 'answer', entryId: 'a' }),
      result('a', ['b'], { kind: 'answer', entryId: 'b' }),
      result('a', ['b', 'a'], { kind: 'clarify', entryIds: ['b', 'a'] }),
      result('a', ['b', 'c'], { kind: 'clarify', entryIds: ['b', 'c'] }),
      result('a', [], { kind: 'abstain' }),
      result('a', [], { kind: 'other', replyKind: 'emergency' }),
    ]);
    expect(m.answeredRight).toBeCloseTo(1 / 6, 10);
    expect(m.confidentlyWrong).toBeCloseTo(1 / 6, 10);
    expect(m.clarified).toBeCloseTo(2 / 6, 10);
    expect(m.clarifiedWithRight).toBeCloseTo(1 / 6, 10);
    expect(m.correct).toBeCloseTo(1.5 / 6, 10);
    expect(m.abstained).toBeCloseTo(1 / 6, 10);
    expect(m.other).toBeCloseTo(1 / 6, 10);
  });

  it('gives zeros, not NaN, for an empty set', () => {
    const m = inScopeMetrics([]);
    expect(m.hit1).toBe(0);
    expect(m.latencyMs).toEqual({ p50: null, p95: null, p99: null });
  });
});

describe('percentiles', () => {
  it('uses the nearest rank on unsorted values', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('p99 of 1..1000 is 990 and p50 is 500', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(percentile(values, 99)).toBe(990);
    expect(percentile(values, 50)).toBe(500);
  });
});

describe('out-of-scope expectations', () => {
  it('maps each expectation to the reply kinds that satisfy it', () => {
    expect(handledAsExpected('emergency', 'emergency')).toBe(true);
    expect(handledAsExpected('emergency', 'answer')).toBe(false);
    expect(handledAsExpected('chitchat', 'chitchat')).toBe(true);
    expect(handledAsExpected('chitchat', 'fallback')).toBe(false);
    expect(handledAsExpected('ticket', 'fallback')).toBe(true);
    expect(handledAsExpected('ticket', 'ask')).toBe(true);
    expect(handledAsExpected('ticket', 'clarify')).toBe(false);
    expect(handledAsExpected('refuse', 'fallback')).toBe(true);
    expect(handledAsExpected('refuse', 'chitchat')).toBe(true);
    expect(handledAsExpected('refuse', 'answer')).toBe(false);
  });

  it('reports FAQ answers separately from the expectation match', () => {
    const m = outOfScopeMetrics([
      { expect: 'refuse', replyKind: 'answer', latencyMs: 1 },
      { expect: 'refuse', replyKind: 'fallback', latencyMs: 2 },
      { expect: 'ticket', replyKind: 'clarify', latencyMs: 3 },
      { expect: 'emergency', replyKind: 'emergency', latencyMs: 4 },
    ]);
    expect(m.queries).toBe(4);
    expect(m.handledAsExpected).toBe(0.5);
    expect(m.answeredWithFaq).toBe(0.25);
    expect(m.clarified).toBe(0.25);
    expect(m.abstained).toBe(0.25);
    expect(m.latencyMs.p50).toBe(2);
  });
});

describe('quality targets', () => {
  const inScope = (hit1: number, kinds: number[]) => {
    const base = inScopeMetrics([]);
    return {
      overall: { ...base, hit1, hit3: 0.99, correct: 0.92 },
      byKind: Object.fromEntries(kinds.map((k, i) => [`kind${i}`, { ...base, hit1: k }])),
    };
  };

  it('marks each target met or missed, and unknown without data', () => {
    const checks = checkTargets({ inScope: inScope(0.96, [0.97, 0.84]), outOfScope: null });
    const byName = Object.fromEntries(checks.map((c) => [c.target, c]));
    expect(byName['hit@1 ≥ 0.95']).toEqual({ target: 'hit@1 ≥ 0.95', value: 0.96, met: true });
    expect(byName['hit@3 ≥ 0.98']!.met).toBe(true);
    expect(byName['every kind hit@1 ≥ 0.85']).toMatchObject({ value: 0.84, met: false });
    expect(byName['correct (clarify = ½) ≥ 0.90']!.met).toBe(true);
    expect(byName['out of scope answered with an FAQ ≤ 0.05']).toMatchObject({ value: null, met: null });
  });

  it('fails the emergency target on a single FAQ answer to an emergency', () => {
    const outOfScope = outOfScopeMetrics([
      { expect: 'emergency', replyKind: 'answer', latencyMs: 1 },
      ...Array.from({ length: 39 }, () => ({ expect: 'ticket' as const, replyKind: 'fallback', latencyMs: 1 })),
    ]);
    const emergency = outOfScopeMetrics([{ expect: 'emergency', replyKind: 'answer', latencyMs: 1 }]);
    const checks = checkTargets({
      inScope: inScope(0.96, [0.9]),
      outOfScope: { overall: outOfScope, byExpect: { emergency } },
    });
    expect(checks.find((c) => c.target.startsWith('out of scope'))).toMatchObject({ value: 0.025, met: true });
    expect(checks.find((c) => c.target.startsWith('emergencies'))).toMatchObject({ value: 1, met: false });
  });

  it('compares the first system with every peer, a tie not being ahead, lower being better for errors', () => {
    const ours = { inScope: inScope(0.96, [0.97, 0.9]), outOfScope: null };
    const bm25 = { inScope: inScope(0.84, [0.95, 0.9]), outOfScope: null };
    const nlp = { inScope: inScope(0.88, [0.99, 0.5]), outOfScope: null };
    ours.inScope.overall.confidentlyWrong = 0.02;
    bm25.inScope.overall.confidentlyWrong = 0.13;
    nlp.inScope.overall.confidentlyWrong = 0.02;
    const rows = Object.fromEntries(compareWithPeers([ours, bm25, nlp]).map((r) => [r.figure, r]));
    expect(rows['hit@1']).toEqual({ figure: 'hit@1', value: 0.96, peers: [0.84, 0.88], ahead: true });
    expect(rows['hit@1 kind0']!.ahead).toBe(false); // node-nlp 0.99
    expect(rows['hit@1 kind1']!.ahead).toBe(false); // tied with BM25
    expect(rows['confidently wrong']!.ahead).toBe(false); // tied with node-nlp
    expect(rows['out of scope answered with an FAQ']).toBeUndefined(); // no out-of-scope file
    expect(compareWithPeers([ours])).toEqual([]);
  });
});
