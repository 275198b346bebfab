import type { Candidate } from './lexical-index.js';
import type { KnowledgeEntry } from './entry.js';

/**
 * Thresholds on the lexical similarity (see lexical-index.ts). Chosen on the demo evaluation set
 * (eval/data): see README "Retrieval decision" for the measured trade-off.
 */
export interface DecisionThresholds {
  /** At or above: confident enough to answer when no rival is close. */
  answer: number;
  /** Below: no candidate is worth showing; hand over instead. */
  abstain: number;
  /** A rival within this distance of the top score makes the match ambiguous. */
  margin: number;
}

export const defaultThresholds: DecisionThresholds = { answer: 0.35, abstain: 0.2, margin: 0.06 };

export type Decision =
  | { kind: 'answer'; entry: KnowledgeEntry; candidates: Candidate[] }
  | { kind: 'clarify'; options: Candidate[]; candidates: Candidate[] }
  | { kind: 'abstain'; candidates: Candidate[] };

const MAX_OPTIONS = 3;

export function decide(
  candidates: Candidate[],
  entryOf: (id: string) => KnowledgeEntry | undefined,
  thresholds: DecisionThresholds = defaultThresholds,
  /** True when the answer depends on a district the citizen has not named (see RegionScope). */
  needsDistrict = false,
  /** True when the top entry is scoped to the citizen's district: a city-wide rival is not ambiguity. */
  topInDistrict = false,
): Decision {
  const [top, second] = candidates;
  if (!top || top.score < thresholds.abstain) return { kind: 'abstain', candidates };
  const entry = entryOf(top.entryId);
  const rivalClose = !topInDistrict && second !== undefined && top.score - second.score < thresholds.margin;
  if (entry && top.score >= thresholds.answer && !rivalClose && !needsDistrict) {
    return { kind: 'answer', entry, candidates };
  }
  // A district question lists every region's fitting entry; otherwise only near rivals.
  const floor = needsDistrict ? thresholds.abstain : Math.max(thresholds.abstain, top.score - 2 * thresholds.margin);
  const options = candidates.filter((c) => c.score >= floor).slice(0, MAX_OPTIONS);
  return { kind: 'clarify', options, candidates };
}
