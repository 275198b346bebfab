import type { Candidate } from './lexical-index.js';
import type { KnowledgeEntry } from './entry.js';
import { fittedDecisionPolicy } from './decision-policy.js';

/**
 * What the decision looks at: the ranking's shape, not the words. A lone strong match is safe to
 * answer; a strong match with a rival almost as strong is ambiguous; a match that explains only a
 * small part of the message (a long story, or a different question sharing one word) is doubtful.
 */
export const decisionFeatures = [
  /** The top candidate's similarity. */
  'score',
  /** The runner-up's similarity relative to the top's (1 = tie, 0 = no rival). */
  'rivalRatio',
  /** Share of the message's weighted terms the top candidate's question contains. */
  'queryCoverage',
  /** Share of the top candidate's question terms the message contains. */
  'questionCoverage',
  /** Top similarity minus the runner-up's. */
  'gap',
  /** Top candidate's query coverage minus the runner-up's. */
  'coverageGap',
  /** ln(1 + the message's length in characters and words): long stories match less of any question. */
  'messageLength',
] as const;

export type DecisionFeature = (typeof decisionFeatures)[number];
export type DecisionFeatures = Record<DecisionFeature, number>;

/** Logistic model of P(the top candidate is the right entry) over the decision features. */
export interface ConfidenceModel {
  bias: number;
  weights: DecisionFeatures;
}

/**
 * How the knowledge base decides between answering, asking and handing over. The model and the
 * thresholds are fitted on labelled data by `eval/fit-decision.ts` (see README "Retrieval decision").
 */
export interface DecisionPolicy {
  model: ConfidenceModel;
  /** Answer when the confidence is at or above this... */
  answer: number;
  /**
   * ...and the top similarity at least this: a lone weak match (流浪猫 against an entry on rubbish
   * sorting) has no rival, but is no answer either.
   */
  answerFloor: number;
  /** A runner-up this close (its similarity over the top's) is a real alternative: ask, never answer. */
  maxRivalRatio: number;
  /** Below this confidence the candidates are too doubtful to offer: hand over instead. */
  clarify: number;
  /** Below this top similarity nothing is worth showing: hand over instead. */
  abstain: number;
  /** A candidate is offered in a clarification when its similarity is at least this share of the top's. */
  optionRatio: number;
}

export const defaultPolicy: DecisionPolicy = fittedDecisionPolicy;

export type Decision =
  | { kind: 'answer'; entry: KnowledgeEntry; candidates: Candidate[]; confidence: number }
  | { kind: 'clarify'; options: Candidate[]; candidates: Candidate[]; confidence: number }
  | { kind: 'abstain'; candidates: Candidate[]; confidence: number };

const MAX_OPTIONS = 3;
/**
 * A lone candidate is offered ("您是想问：…") only from this similarity on: below it one match is
 * no choice to offer (无人机 against an entry on square-dance noise), whatever the answer floor.
 */
const LONE_OPTION_FLOOR = 0.25;

/** What the decision knows besides the ranking. */
export interface DecisionContext {
  /** The answer depends on a district the citizen has not named (see RegionScope). */
  needsDistrict?: boolean;
  /**
   * The top entry is scoped to the citizen's district: the runner-up (the city-wide or another
   * version of it) is no real rival.
   */
  topInDistrict?: boolean;
  /** The message's length: Han characters plus Latin words (see messageLength). */
  messageLength?: number;
  /**
   * The candidate that competes with the top one, when not simply the second (see
   * RankedQuery.rival); undefined in an object that has the key: no rival.
   */
  rival?: Candidate | undefined;
}

/** Han characters plus Latin words: a length comparable across Chinese and English messages. */
export const messageLength = (text: string): number => (text.match(/\p{Script=Han}|[a-z0-9]+/giu) ?? []).length;

export function featuresOf(candidates: Candidate[], context: DecisionContext = {}): DecisionFeatures {
  const [top, second] = candidates;
  const length = Math.log1p(context.messageLength ?? 0);
  if (!top)
    return {
      score: 0,
      rivalRatio: 1,
      queryCoverage: 0,
      questionCoverage: 0,
      gap: 0,
      coverageGap: 0,
      messageLength: length,
    };
  const rival = context.topInDistrict ? undefined : 'rival' in context ? context.rival : second;
  const topCoverage = top.queryCoverage ?? 0;
  return {
    score: top.score,
    rivalRatio: rival && top.score > 0 ? rival.score / top.score : 0,
    queryCoverage: topCoverage,
    questionCoverage: top.questionCoverage,
    gap: top.score - (rival?.score ?? 0),
    coverageGap: topCoverage - (rival?.queryCoverage ?? 0),
    messageLength: length,
  };
}

export function confidenceOf(model: ConfidenceModel, features: DecisionFeatures): number {
  let z = model.bias;
  for (const name of decisionFeatures) z += model.weights[name] * features[name];
  return 1 / (1 + Math.exp(-z));
}

export function decide(
  candidates: Candidate[],
  entryOf: (id: string) => KnowledgeEntry | undefined,
  policy: DecisionPolicy = defaultPolicy,
  context: DecisionContext = {},
): Decision {
  const needsDistrict = context.needsDistrict ?? false;
  const [top] = candidates;
  if (!top || top.score < policy.abstain) return { kind: 'abstain', candidates, confidence: 0 };
  const features = featuresOf(candidates, context);
  const confidence = confidenceOf(policy.model, features);
  const entry = entryOf(top.entryId);
  const ambiguous = features.rivalRatio >= policy.maxRivalRatio;
  // The message names a sibling of the entry's subject (结婚证 against 身份证): never its answer,
  // though the citizen may still pick it from a clarification.
  const sibling = top.conflict !== undefined;
  if (
    entry &&
    confidence >= policy.answer &&
    top.score >= policy.answerFloor &&
    !ambiguous &&
    !sibling &&
    !needsDistrict
  ) {
    return { kind: 'answer', entry, candidates, confidence };
  }
  if (confidence < policy.clarify && !needsDistrict) return { kind: 'abstain', candidates, confidence };
  // A district question lists every region's fitting entry; otherwise only near rivals.
  const floor = needsDistrict ? policy.abstain : Math.max(policy.abstain, top.score * policy.optionRatio);
  const options = candidates.filter((c) => c.score >= floor).slice(0, MAX_OPTIONS);
  // One weak match is no choice to offer ("路灯坏了" against an unrelated entry): hand over.
  if (options.length < 2 && top.score < Math.max(policy.answerFloor, LONE_OPTION_FLOOR) && !needsDistrict)
    return { kind: 'abstain', candidates, confidence };
  return { kind: 'clarify', options, candidates, confidence };
}
