// Labelled questions made from the knowledge base itself, for fitting the decision on more than
// the development set. The development set was read while the synonyms and glossary grew, so its
// questions score higher than a citizen's unseen question would; the knowledge base's own similar
// questions, asked of a knowledge base that lacks them, have not been tuned on in that way.
//
// - In scope: each entry's similar questions are dealt into k folds; fold i is asked of the
//   knowledge base without fold i's similar questions (its entries keep their other phrasings).
// - Near misses (out of scope): fold i's entries are removed whole and their questions are asked of
//   the rest, the way 离婚登记 meets a knowledge base that only knows 结婚登记. An entry with a
//   district version (江北区社保大厅 beside the city's hall) is left out of these: without it the other
//   version is a fair answer, not a miss.

import { cityOf } from '../knowledge/region-scope.js';

/** One knowledge-base line as the JSONL import reads it (only the fields this module needs). */
export interface KbLine {
  id: string;
  question: string;
  similar?: string[];
  region?: string;
  category?: string;
  [field: string]: unknown;
}

export interface FoldQuestion {
  q: string;
  /** The entry that should answer; absent for a near miss. */
  expect?: string;
}

export interface KbFold {
  lines: KbLine[];
  questions: FoldQuestion[];
}

/** fold i holds every k-th similar question of each entry, offset by the entry's position. */
export function similarQuestionFolds(lines: KbLine[], k: number): KbFold[] {
  return Array.from({ length: k }, (_, fold) => {
    const questions: FoldQuestion[] = [];
    const kept = lines.map((line, entryIndex) => {
      const similar = line.similar ?? [];
      const inFold = (i: number) => (i + entryIndex) % k === fold;
      similar.forEach((q, i) => inFold(i) && questions.push({ q, expect: line.id }));
      return { ...line, similar: similar.filter((_, i) => !inFold(i)) };
    });
    return { lines: kept, questions };
  });
}

/**
 * fold i removes every k-th entry (district versions and the entries they are versions of
 * excepted, see `versionedEntries`) and asks its question and similar questions of the rest.
 */
export function entryOutFolds(lines: KbLine[], k: number): KbFold[] {
  const versioned = versionedEntries(lines);
  const candidates = lines.filter((l) => !versioned.has(l.id));
  return Array.from({ length: k }, (_, fold) => {
    const out = new Set(candidates.filter((_, i) => i % k === fold).map((l) => l.id));
    const questions = lines
      .filter((l) => out.has(l.id))
      .flatMap((l) => [l.question, ...(l.similar ?? [])].map((q) => ({ q })));
    return { lines: lines.filter((l) => !out.has(l.id)), questions };
  });
}

/**
 * Entries scoped to a district, and the city-wide entries of the same category they are versions
 * of: the city-wide entry whose question shares the most characters with the district entry's.
 */
export function versionedEntries(lines: KbLine[]): Set<string> {
  const ids = new Set<string>();
  // The city as RegionScope finds it: the region most entries carry, when it clearly dominates.
  const counts = new Map<string, number>();
  for (const l of lines) if (l.region) counts.set(l.region, (counts.get(l.region) ?? 0) + 1);
  const cityRegion = cityOf(counts, lines.length);
  if (cityRegion === undefined) return ids;
  const chars = (s: string) => new Set(s.match(/\p{Script=Han}/gu) ?? []);
  for (const local of lines.filter((l) => l.region && l.region !== cityRegion)) {
    ids.add(local.id);
    const own = chars(local.question.replace(local.region!, ''));
    let best: { id: string; shared: number } | undefined;
    for (const city of lines) {
      if (city.region !== cityRegion || city.category !== local.category) continue;
      const shared = [...chars(city.question)].filter((c) => own.has(c)).length;
      if (!best || shared > best.shared) best = { id: city.id, shared };
    }
    if (best) ids.add(best.id);
  }
  return ids;
}

/** The knowledge-base lines of a JSONL file's text. */
export const kbLinesOf = (jsonl: string): KbLine[] =>
  jsonl
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as KbLine);

/** A fold's knowledge base as JSONL text, for a temporary knowledge base. */
export const jsonlOf = (lines: KbLine[]): string => lines.map((l) => JSON.stringify(l)).join('\n');
