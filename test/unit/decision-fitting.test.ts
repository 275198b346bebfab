import { describe, expect, it } from 'vitest';
import { confidenceOf, decide, featuresOf } from '../../knowledge/decision.js';
import type { Candidate } from '../../knowledge/lexical-index.js';
import { fitConfidenceModel, fitDecisionPolicy, outcomeOf, type LabelledRanking } from '../../eval/decision-fitting.js';

const candidate = (entryId: string, score: number, queryCoverage = score): Candidate => ({
  entryId,
  question: entryId,
  score,
  matchedQuestion: entryId,
  matchedTerms: [],
  questionCoverage: score,
  queryCoverage,
});
const ranked = (expected: string | undefined, ...candidates: Candidate[]): LabelledRanking => ({
  candidates,
  expected,
  needsDistrict: false,
  topInDistrict: false,
  messageLength: 10,
});

// Clear winners are right, near ties are a coin toss, weak matches are out of scope.
const inScope: LabelledRanking[] = [];
const outOfScope: LabelledRanking[] = [];
for (let i = 0; i < 40; i++) {
  const s = 0.5 + (i % 10) / 25;
  inScope.push(ranked('a', candidate('a', s), candidate('b', s * 0.4)));
  // Each score appears with both labels: nothing but the tie is learnable.
  inScope.push(ranked(Math.floor(i / 10) % 2 ? 'a' : 'b', candidate('a', s), candidate('b', s * 0.97)));
  outOfScope.push(ranked(undefined, candidate('x', 0.1 + (i % 5) / 50), candidate('y', 0.08)));
}

describe('fitting the decision policy', () => {
  it('learns that a lone strong match is more likely right than a near tie or a weak match', () => {
    const model = fitConfidenceModel(
      [...inScope, ...outOfScope].map((q) => ({
        features: featuresOf(q.candidates),
        label: q.expected !== undefined && q.candidates[0]!.entryId === q.expected ? 1 : 0,
      })),
    );
    const clear = confidenceOf(model, featuresOf([candidate('a', 0.7), candidate('b', 0.28)]));
    const tie = confidenceOf(model, featuresOf([candidate('a', 0.7), candidate('b', 0.68)]));
    const weak = confidenceOf(model, featuresOf([candidate('x', 0.12), candidate('y', 0.08)]));
    expect(clear).toBeGreaterThan(0.8);
    expect(tie).toBeLessThan(clear);
    expect(weak).toBeLessThan(0.2);
  });

  it('answers clear winners, asks on near ties and keeps out-of-scope answers within the limit', () => {
    const { policy, outcome } = fitDecisionPolicy(inScope, outOfScope, {
      maxOutOfScopeAnswered: 0,
      handOverWorth: 0.25,
    });
    expect(outcome.outOfScopeAnswered).toBe(0);
    expect(outcome.confidentlyWrong).toBe(0);
    // Every clear winner answered; every tie clarified with both options.
    expect(outcome.answeredRight).toBeCloseTo(0.5, 5);
    expect(outcome.clarifiedWithRight).toBeCloseTo(0.5, 5);
    expect(outcomeOf(policy, inScope, outOfScope)).toEqual(outcome);
    const stub = (id: string) => ({ id }) as never;
    const tie = decide([candidate('a', 0.8), candidate('b', 0.78)], stub, policy);
    expect(tie.kind === 'clarify' && tie.options.map((o) => o.entryId)).toEqual(['a', 'b']);
    expect(decide([candidate('x', 0.12)], stub, policy).kind).toBe('abstain');
  });

  it('bounds the near misses it answers: questions on a missing topic that score like middling matches', () => {
    // Near misses look like the weaker in-scope winners (similarity 0.5–0.58, no rival).
    const nearMisses = Array.from({ length: 20 }, (_, i) =>
      ranked(undefined, candidate('n', 0.5 + (i % 5) / 50), candidate('m', 0.1)),
    );
    const options = { maxOutOfScopeAnswered: 0, handOverWorth: 0.25, nearMisses };
    const stub = (id: string) => ({ id }) as never;
    const answered = (policy: Parameters<typeof outcomeOf>[0]) =>
      nearMisses.filter((q) => decide(q.candidates, stub, policy, q).kind === 'answer').length;
    const unbounded = fitDecisionPolicy(inScope, outOfScope, { ...options, maxNearMissAnswered: 1 });
    const bounded = fitDecisionPolicy(inScope, outOfScope, { ...options, maxNearMissAnswered: 0 });
    expect(answered(unbounded.policy)).toBeGreaterThan(0);
    expect(answered(bounded.policy)).toBe(0);
    // The bound costs in-scope answers, never out-of-scope ones.
    expect(bounded.outcome.answeredRight).toBeLessThan(unbounded.outcome.answeredRight);
    expect(bounded.outcome.outOfScopeAnswered).toBe(0);
  });

  it('can bound near misses without training the confidence model on them', () => {
    // Weaker than every in-scope winner: a similarity floor alone can keep them out.
    const nearMisses = Array.from({ length: 20 }, (_, i) =>
      ranked(undefined, candidate('n', 0.3 + (i % 5) / 50), candidate('m', 0.1)),
    );
    const base = { maxOutOfScopeAnswered: 0, handOverWorth: 0.25 };
    const plain = fitDecisionPolicy(inScope, outOfScope, base);
    const plainShare = outcomeOf(plain.policy, [], nearMisses).outOfScopeAnswered;
    expect(plainShare).toBeGreaterThan(0);
    const bound = plainShare / 2;
    const boundOnly = fitDecisionPolicy(inScope, outOfScope, {
      ...base,
      nearMisses,
      maxNearMissAnswered: bound,
      trainOnNearMisses: false,
    });
    const trained = fitDecisionPolicy(inScope, outOfScope, { ...base, nearMisses, maxNearMissAnswered: bound });
    // Without training the model is the one fitted on the labelled files alone...
    expect(boundOnly.policy.model).toEqual(plain.policy.model);
    expect(trained.policy.model).not.toEqual(plain.policy.model);
    // ...and only the thresholds keep near misses within the bound.
    expect(outcomeOf(boundOnly.policy, [], nearMisses).outOfScopeAnswered).toBeLessThanOrEqual(bound);
  });
});

describe('decision guards', () => {
  // A model that is always sure: the guards alone must stop the answer.
  const sure = {
    model: {
      bias: 10,
      weights: {
        score: 0,
        rivalRatio: 0,
        queryCoverage: 0,
        questionCoverage: 0,
        gap: 0,
        coverageGap: 0,
        messageLength: 0,
      },
    },
    answer: 0.7,
    answerFloor: 0.3,
    maxRivalRatio: 0.95,
    clarify: 0,
    abstain: 0.1,
    optionRatio: 0.6,
  };
  const stub = (id: string) => ({ id }) as never;

  it('asks instead of answering a near tie, even a strong one', () => {
    const d = decide([candidate('lost', 0.8), candidate('expired', 0.78)], stub, sure);
    expect(d.kind).toBe('clarify');
    expect(decide([candidate('lost', 0.8), candidate('expired', 0.6)], stub, sure).kind).toBe('answer');
  });

  it('hands over a lone weak match instead of answering or offering it', () => {
    expect(decide([candidate('rubbish', 0.17), candidate('park', 0.03)], stub, sure).kind).toBe('abstain');
    // Two weak but close matches are still worth offering.
    expect(decide([candidate('a', 0.2), candidate('b', 0.19)], stub, sure).kind).toBe('clarify');
  });

  it('lets a district-scoped top entry answer although its city-wide version is close', () => {
    const ranking = [candidate('district-hall', 0.7), candidate('city-hall', 0.69)];
    expect(decide(ranking, stub, sure, { topInDistrict: true }).kind).toBe('answer');
    expect(decide(ranking, stub, sure, { needsDistrict: true }).kind).toBe('clarify');
  });

  it('lets a city-wide top entry answer over its district versions when no district is known', () => {
    const ranking = [candidate('city-hall', 0.7), candidate('district-hall', 0.69), candidate('other', 0.3)];
    expect(decide(ranking, stub, sure).kind).toBe('clarify');
    expect(decide(ranking, stub, sure, { rival: ranking[2] }).kind).toBe('answer');
    // The rival given is the one judged: a close city-wide rival still makes it ask.
    expect(decide(ranking, stub, sure, { rival: candidate('other-city', 0.68) }).kind).toBe('clarify');
  });
});
