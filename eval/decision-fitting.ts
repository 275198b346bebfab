// Fitting the answer/clarify/abstain policy from labelled rankings: a logistic model of "the top
// candidate is right" over the decision features, then the thresholds that answer the most
// in-scope questions correctly while answering few out-of-scope messages.
import {
  decide,
  decisionFeatures,
  featuresOf,
  type ConfidenceModel,
  type DecisionFeatures,
  type DecisionPolicy,
} from '../knowledge/decision.js';
import type { RankedQuery } from '../knowledge/knowledge-base.js';

/** A ranking with its label: the expected entry for an in-scope question, none for out of scope. */
export interface LabelledRanking extends RankedQuery {
  expected?: string;
}

export interface PolicyOutcome {
  /** In-scope: answered with the expected entry. */
  answeredRight: number;
  /** In-scope: answered with another entry. */
  confidentlyWrong: number;
  /** In-scope: a clarification listing the expected entry. */
  clarifiedWithRight: number;
  /** answeredRight + clarifiedWithRight / 2 (a clarification costs the citizen a turn). */
  correct: number;
  /** Out of scope: answered with an FAQ entry. */
  outOfScopeAnswered: number;
  /** Out of scope: handed over to the work-order offer at once. */
  outOfScopeAbstained: number;
}

export function outcomeOf(
  policy: DecisionPolicy,
  inScope: LabelledRanking[],
  outOfScope: RankedQuery[],
): PolicyOutcome {
  const stub = (id: string) => ({ id }) as never;
  let right = 0;
  let wrong = 0;
  let clarified = 0;
  for (const q of inScope) {
    const d = decide(q.candidates, stub, policy, q);
    if (d.kind === 'answer') {
      if (d.entry.id === q.expected) right++;
      else wrong++;
    } else if (d.kind === 'clarify' && d.options.some((o) => o.entryId === q.expected)) clarified++;
  }
  const kinds = outOfScope.map((q) => decide(q.candidates, stub, policy, q).kind);
  const answered = kinds.filter((k) => k === 'answer').length;
  const abstained = kinds.filter((k) => k === 'abstain').length;
  const n = inScope.length || 1;
  return {
    answeredRight: right / n,
    confidentlyWrong: wrong / n,
    clarifiedWithRight: clarified / n,
    correct: (right + clarified / 2) / n,
    outOfScopeAnswered: answered / (outOfScope.length || 1),
    outOfScopeAbstained: abstained / (outOfScope.length || 1),
  };
}

interface Example {
  features: DecisionFeatures;
  label: 0 | 1;
}

function examplesOf(inScope: LabelledRanking[], outOfScope: RankedQuery[]): Example[] {
  const examples: Example[] = [];
  for (const q of inScope) {
    if (!q.candidates.length) continue;
    const label = q.candidates[0]!.entryId === q.expected ? 1 : 0;
    examples.push({ features: featuresOf(q.candidates, q), label });
  }
  for (const q of outOfScope) {
    if (q.candidates.length) examples.push({ features: featuresOf(q.candidates, q), label: 0 });
  }
  return examples;
}

/**
 * L2-regularised logistic regression by gradient descent on standardised features, returned in
 * the raw feature scale so the product needs no normalisation step. Deterministic.
 */
export function fitConfidenceModel(examples: Example[], l2 = 0.01, iterations = 4000, rate = 0.5): ConfidenceModel {
  const k = decisionFeatures.length;
  const rows = examples.map((e) => decisionFeatures.map((f) => e.features[f]));
  const mean = decisionFeatures.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / (rows.length || 1));
  const sd = decisionFeatures.map((_, j) => {
    const v = rows.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / (rows.length || 1);
    return Math.sqrt(v) || 1;
  });
  const z = rows.map((r) => r.map((x, j) => (x - mean[j]!) / sd[j]!));
  const w = new Array<number>(k).fill(0);
  let b = 0;
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(k).fill(0);
    let gb = 0;
    z.forEach((x, i) => {
      const p = 1 / (1 + Math.exp(-(b + x.reduce((s, xj, j) => s + w[j]! * xj, 0))));
      const err = p - examples[i]!.label;
      x.forEach((xj, j) => (gw[j]! += err * xj));
      gb += err;
    });
    const n = z.length || 1;
    for (let j = 0; j < k; j++) w[j]! -= rate * (gw[j]! / n + l2 * w[j]!);
    b -= (rate * gb) / n;
  }
  const weights = Object.fromEntries(decisionFeatures.map((f, j) => [f, w[j]! / sd[j]!])) as DecisionFeatures;
  const bias = b - decisionFeatures.reduce((s, _f, j) => s + (w[j]! * mean[j]!) / sd[j]!, 0);
  return { bias, weights };
}

export interface FitOptions {
  /** The most out-of-scope messages the policy may answer with an FAQ entry (share). */
  maxOutOfScopeAnswered: number;
  /**
   * Worth of handing an out-of-scope message straight to the work-order offer, relative to a
   * correct in-scope answer: a needless clarification costs that citizen one turn.
   */
  handOverWorth: number;
  /**
   * Questions on topics the knowledge base lacks but neighbours (see eval/kb-folds.ts): they
   * train the confidence model as wrong tops and bound how many the policy may answer.
   */
  nearMisses?: RankedQuery[];
  /** The most near misses the policy may answer (share; 1 = no bound). */
  maxNearMissAnswered?: number;
  /** Whether near misses also train the confidence model (default) or only bound the thresholds. */
  trainOnNearMisses?: boolean;
}

/** What the threshold search maximises. */
const objective = (o: PolicyOutcome, options: FitOptions) => o.correct + options.handOverWorth * o.outOfScopeAbstained;

/**
 * Fits the model, then searches the thresholds: the best `correct` on the in-scope questions (plus
 * the worth of out-of-scope hand-overs) with out-of-scope answers within the limit; ties go to
 * fewer confidently wrong answers.
 */
export function fitDecisionPolicy(
  inScope: LabelledRanking[],
  outOfScope: RankedQuery[],
  options: FitOptions,
): { policy: DecisionPolicy; outcome: PolicyOutcome } {
  const nearMisses = options.nearMisses ?? [];
  const nearMissBound = options.maxNearMissAnswered ?? 1;
  // Near misses teach the model what a wrong top looks like on a topic the base lacks.
  const trainingMisses = options.trainOnNearMisses === false ? [] : nearMisses;
  const model = fitConfidenceModel(examplesOf(inScope, [...outOfScope, ...trainingMisses]));
  let best: { policy: DecisionPolicy; outcome: PolicyOutcome } | undefined;
  for (const thresholds of thresholdGrid()) {
    const policy: DecisionPolicy = { model, ...thresholds };
    const outcome = outcomeOf(policy, inScope, outOfScope);
    if (outcome.outOfScopeAnswered > options.maxOutOfScopeAnswered) continue;
    if (nearMissBound < 1 && outcomeOf(policy, [], nearMisses).outOfScopeAnswered > nearMissBound) continue;
    const gain = objective(outcome, options) - (best ? objective(best.outcome, options) : -Infinity);
    if (gain > 1e-9 || (Math.abs(gain) < 1e-9 && outcome.confidentlyWrong < best!.outcome.confidentlyWrong))
      best = { policy, outcome };
  }
  if (!best) throw new Error('no threshold keeps out-of-scope answers within the limit');
  return best;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Every combination of candidate thresholds (about 40,000; each is a pass over the rankings). */
function* thresholdGrid(): Generator<Omit<DecisionPolicy, 'model'>> {
  for (let answer = 0.3; answer <= 0.951; answer += 0.025)
    for (const answerFloor of [0.2, 0.25, 0.3, 0.35, 0.4])
      for (const maxRivalRatio of [0.9, 0.95, 0.97])
        for (const clarify of [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4])
          for (const abstain of [0.05, 0.1, 0.15, 0.2])
            for (const optionRatio of [0.6, 0.7, 0.8, 0.9])
              yield { answer: round(answer), answerFloor, maxRivalRatio, clarify, abstain, optionRatio };
}
