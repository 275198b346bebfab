import type { Decision } from '../decision.js';
import type { KnowledgeEntry } from '../entry.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import type { Candidate } from '../lexical-index.js';

export interface ExplainedCandidate {
  entryId: string;
  question: string;
  score: number;
  matchedQuestion: string;
  questionCoverage: number;
  /** Whole (canonical) words both share. */
  words: string[];
  /** Query words a synonym group turned into one of those words. */
  synonyms: { word: string; canonical: string }[];
  /** Toneless pinyin syllable pairs both share (homophones of voice input). */
  pinyinPairs: string[];
  /** Character pairs both share. */
  charPairs: string[];
  /** Single characters both share. */
  chars: string[];
}

export interface TriedDecision {
  kind: Decision['kind'];
  /** The entry answered with (answer). */
  entry?: { id: string; question: string; answer: string };
  /** The options offered (clarify). */
  options: { entryId: string; question: string }[];
  candidates: ExplainedCandidate[];
}

export interface TryResult {
  question: string;
  normalised: string;
  /** The text after English glossary phrases became Chinese terms (equal to normalised without English). */
  glossed: string;
  /** Knowledge-base words the question probably meant where voice input wrote other characters (社宝卡 → 社保卡). */
  corrections: string[];
  synonyms: { word: string; canonical: string }[];
  live: TriedDecision;
  /** The same question against a copy of the index where the draft replaces its entry. */
  draft?: TriedDecision;
}

/** Why a candidate matched, from its matched terms: plain words, then "b:", "p:" and "c:" terms. */
export function explainCandidate(
  candidate: Candidate,
  synonyms: { word: string; canonical: string }[],
): ExplainedCandidate {
  const words: string[] = [];
  const pinyinPairs: string[] = [];
  const charPairs: string[] = [];
  const chars: string[] = [];
  for (const term of candidate.matchedTerms) {
    if (term.startsWith('b:')) charPairs.push(term.slice(2));
    else if (term.startsWith('p:')) pinyinPairs.push(term.slice(2));
    else if (term.startsWith('c:')) chars.push(term.slice(2));
    else words.push(term);
  }
  return {
    entryId: candidate.entryId,
    question: candidate.question,
    score: candidate.score,
    matchedQuestion: candidate.matchedQuestion,
    questionCoverage: candidate.questionCoverage,
    words,
    synonyms: synonyms.filter((s) => words.includes(s.canonical)),
    pinyinPairs,
    charPairs,
    chars,
  };
}

function describe(decision: Decision, synonyms: { word: string; canonical: string }[]): TriedDecision {
  return {
    kind: decision.kind,
    ...(decision.kind === 'answer'
      ? { entry: { id: decision.entry.id, question: decision.entry.question, answer: decision.entry.answer } }
      : {}),
    options:
      decision.kind === 'clarify' ? decision.options.map((o) => ({ entryId: o.entryId, question: o.question })) : [],
    candidates: decision.candidates.map((c) => explainCandidate(c, synonyms)),
  };
}

/**
 * Asks the knowledge base as a citizen would (same search, same decision, no conversation state)
 * and, with a draft, asks a separate in-memory copy where the draft replaces its entry: the live
 * index is never changed.
 */
export async function tryQuestion(
  knowledge: KnowledgeBase,
  question: string,
  options: { district?: string; draft?: KnowledgeEntry } = {},
): Promise<TryResult> {
  const reading = knowledge.explainQuery(question);
  const search = { topK: 5, ...(options.district ? { district: options.district } : {}) };
  const live = describe(await knowledge.decide(question, search), reading.synonyms);
  const result: TryResult = { question, ...reading, live };
  if (options.draft) {
    const preview = knowledge.preview(options.draft);
    result.draft = describe(await preview.decide(question, search), reading.synonyms);
  }
  return result;
}
