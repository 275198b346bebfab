import type { KnowledgeEntry } from './entry.js';
import { HomophoneCorrector } from './homophone-correction.js';
import { fittedRankingWeights } from './ranking-weights.js';
import type { TermBag, TextAnalyzer } from './text-analyzer.js';

/** A knowledge entry ranked for one query, with what made it match. */
export interface Candidate {
  entryId: string;
  question: string;
  /** Similarity in [0, 1] between the query and the entry's best-matching question (see LexicalIndex). */
  score: number;
  /** The standard or similar question that matched best. */
  matchedQuestion: string;
  /** Query terms found in that question: words, then "b:" character pairs and "p:" pinyin pairs. */
  matchedTerms: string[];
  /** Share of the matched question's weighted terms that the query contains, in [0, 1]. */
  questionCoverage: number;
  /** Share of the query's weighted terms that the matched question contains, in [0, 1]. */
  queryCoverage?: number;
  /** What the score blends (see RankingWeights); absent for candidates from elsewhere (dense retrieval). */
  similarities?: RankingSimilarities;
}

/** Term kinds, as the similarities per kind name them. */
export const termKinds = ['word', 'pair', 'pinyin', 'char'] as const;
export type TermKind = (typeof termKinds)[number];

/**
 * The similarities a candidate's score blends: its best question's (weighted over every term
 * kind), and per term kind the cosine between the query and all the entry's questions joined. The
 * best question alone misses an entry whose phrasings each cover part of a long or colloquial
 * message; the per-kind view lets characters count for more where words fail (typos, Traditional
 * Chinese, dialect) without drowning exact word matches.
 */
export type RankingSimilarities = { question: number } & Record<TermKind, number>;

/** Non-negative weights of the blend; the score is the weighted mean, so it stays in [0, 1]. */
export type RankingWeights = RankingSimilarities;

/** The best question's similarity alone: the ranking before blending. */
export const questionOnlyRanking: RankingWeights = { question: 1, word: 0, pair: 0, pinyin: 0, char: 0 };

export interface LexicalIndexOptions {
  /**
   * Each entry is also indexed as one document joining all its questions, scored × this factor:
   * a long message that touches words spread over several phrasings still finds the entry.
   * 0 disables it. (Answers are not indexed: adding their terms at 0.2 weight lowered hit@1 on
   * long messages from 0.82 to 0.77 on the demo set.)
   */
  unionFactor: number;
  /** Weight of a query term never seen in the knowledge base, relative to the rarest term's. */
  unseenWeight: number;
  /**
   * A query whose terms' postings add up to at most this many is scored exhaustively; a longer
   * one is scored with pruning that skips only questions that cannot reach the top (same result).
   */
  exhaustivePostings: number;
  /** How the score blends similarities (fitted by eval/fit-ranking.ts; needs unionFactor > 0). */
  ranking: RankingWeights;
  /** How many entries, best by their best question, are scored by the blend (at least topK). */
  rankingDepth: number;
}

export const defaultLexicalOptions: LexicalIndexOptions = {
  unionFactor: 0.9,
  unseenWeight: 1,
  exhaustivePostings: 20_000,
  ranking: fittedRankingWeights,
  rankingDepth: 20,
};

interface IndexedQuestion {
  entryId: string;
  entry: KnowledgeEntry;
  text: string;
  /** Sum of weight × idf over the question's terms. */
  mass: number;
  /** Multiplies this document's similarity (below 1 for an entry's joined questions). */
  factor: number;
  /** The question whose terms a match shows: itself, or the standard question for the joined one. */
  shown: number;
}

/** A query term found in the index. */
interface QueryTerm {
  term: string;
  postings: Int32Array;
  /** Its weight × idf: what it adds to the similarity's numerator of a question containing it. */
  gain: number;
}

interface Scored {
  question: number;
  score: number;
  coverage: number;
  queryCoverage: number;
}

/**
 * Inverted index over each entry's standard question and similar questions (not its answer:
 * answers are long and drown the questions). Similarity is a weighted cosine between the query
 * and a question, with term weights by kind (word, character pair, pinyin pair) times inverse
 * document frequency counted per entry. It is bounded in [0, 1] and comparable across queries,
 * which the answer/clarify/abstain decision needs. Query terms never seen in the knowledge base
 * weigh as much as the rarest term, so a question about something the base does not cover
 * scores low.
 *
 * Search is exact: with long postings (large bases) it first scores the questions of the rarest
 * terms to learn a score the top candidates reach at least, then leaves out what cannot reach it
 * (see searchPruned); every score is summed in the query's term order, so pruning changes none.
 */
export class LexicalIndex {
  private questions: IndexedQuestion[] = [];
  /** Term → ids of the questions containing it (a term's weight is fixed by its kind). */
  private postings = new Map<string, Int32Array>();
  /** Terms of each question while building; dropped afterwards to save memory. */
  private questionTerms: TermBag[] = [];
  private entries = new Map<string, KnowledgeEntry>();
  private documentFrequency = new Map<string, number>();
  private scores = new Float64Array(0);
  /** Questions with a non-zero score in `scores` (the first `touchedCount`). */
  private touched = new Int32Array(0);
  /** Largest question factor: a bound on how much a factor can lift a similarity. */
  private maxFactor = 1;
  /** Each question's mass and factor, as in `questions` (compact, for the pruning loops). */
  private masses = new Float64Array(0);
  private factors = new Float64Array(0);
  /** Entry id → its joined questions' document (when unionFactor > 0). */
  private unionOf = new Map<string, number>();
  /** Per joined document, its mass per term kind (4 per document, in termKinds order). */
  private unionKindMasses = new Map<number, Float64Array>();
  /** Misheard words of the knowledge base's vocabulary, put right in queries. */
  private corrector = new HomophoneCorrector([], {
    cut: (t) => [t],
    isKnownPair: () => true,
    isFunctionWord: () => true,
  });

  constructor(
    private readonly analyzer: TextAnalyzer,
    private readonly options: LexicalIndexOptions = defaultLexicalOptions,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  entry(id: string): KnowledgeEntry | undefined {
    return this.entries.get(id);
  }

  /**
   * @param indexedText what of a question is analysed (default: all of it); the original text is
   *   still what a candidate shows as its matched question.
   */
  rebuild(
    entries: Iterable<KnowledgeEntry>,
    indexedText: (entry: KnowledgeEntry, text: string) => string = (_e, t) => t,
  ): void {
    this.entries = new Map();
    this.unionOf = new Map();
    this.questions = [];
    this.questionTerms = [];
    this.documentFrequency = new Map();
    const building = new Map<string, number[]>();
    for (const entry of entries) {
      this.entries.set(entry.id, entry);
      const entryTerms = new Set<string>();
      for (const text of [entry.question, ...entry.similar]) {
        const { terms } = this.analyzer.analyze(indexedText(entry, text));
        const index = this.questions.length;
        this.questions.push({ entryId: entry.id, entry, text, mass: 0, factor: 1, shown: index });
        this.questionTerms.push(terms);
        addPostings(building, index, terms);
        for (const term of terms.keys()) entryTerms.add(term);
      }
      if (this.options.unionFactor > 0) this.addUnion(building, entry);
      for (const term of entryTerms) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
    this.postings = new Map([...building].map(([term, ids]) => [term, Int32Array.from(ids)]));
    this.corrector = new HomophoneCorrector(
      [...[...this.postings.keys()].filter(isWord), ...this.analyzer.synonymWords()],
      {
        cut: (text) => this.analyzer.dictionaryWords(text),
        isKnownPair: (pair) => this.postings.has(`b:${pair}`),
        isFunctionWord: (character) => this.analyzer.isStopword(character),
      },
    );
    this.questions.forEach((q, i) => (q.mass = this.mass(this.questionTerms[i]!)));
    this.unionKindMasses = new Map([...this.unionOf.values()].map((u) => [u, this.kindMasses(this.questionTerms[u]!)]));
    this.questionTerms = [];
    this.scores = new Float64Array(this.questions.length);
    this.touched = new Int32Array(this.questions.length);
    this.masses = Float64Array.from(this.questions, (q) => q.mass);
    this.factors = Float64Array.from(this.questions, (q) => q.factor);
    this.maxFactor = Math.max(1, this.options.unionFactor);
  }

  search(query: string, options: { topK?: number; accept?: (entry: KnowledgeEntry) => boolean } = {}): Candidate[] {
    const { terms } = this.analyzer.analyze(query, this.corrector);
    if (terms.size === 0 || this.questions.length === 0) return [];
    const queryMass = this.mass(terms);
    const topK = options.topK ?? 5;
    const accept = options.accept ?? (() => true);
    const found: QueryTerm[] = [];
    let postings = 0;
    for (const [term, weight] of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      found.push({ term, postings: list, gain: weight * this.idf(term) });
      postings += list.length;
    }
    const weights = this.options.ranking;
    const blend = this.unionOf.size > 0 && termKinds.some((k) => weights[k] > 0);
    // The blend reorders the best `depth` entries by their best question: those must be exact.
    const depth = blend ? Math.max(topK, this.options.rankingDepth) : topK;
    const best =
      postings <= this.options.exhaustivePostings
        ? this.searchExhaustive(found, queryMass)
        : this.searchPruned(found, queryMass, depth, accept);
    const queryKindMasses = this.kindMasses(terms);
    const weightSum = blend ? weights.question + termKinds.reduce((sum, k) => sum + weights[k], 0) : 1;
    return [...best.entries()]
      .filter(([, { question }]) => accept(this.questions[question]!.entry))
      .sort(([a, x], [b, y]) => y.score - x.score || a.localeCompare(b))
      .slice(0, depth)
      .map(([entryId, { question, score, coverage, queryCoverage }]) => {
        const similarities: RankingSimilarities = {
          question: Math.min(1, score),
          ...this.kindSimilarities(found, queryKindMasses, entryId),
        };
        let blended = similarities.question;
        if (blend) {
          blended = weights.question * similarities.question;
          for (const kind of termKinds) blended += weights[kind] * similarities[kind];
          blended /= weightSum;
        }
        return { entryId, question, score: blended, coverage, queryCoverage, similarities };
      })
      .sort((x, y) => y.score - x.score || x.entryId.localeCompare(y.entryId))
      .slice(0, topK)
      .map(({ entryId, question, score, coverage, queryCoverage, similarities }) => {
        const indexed = this.questions[question]!;
        const shown = indexed.shown;
        return {
          entryId,
          question: indexed.entry.question,
          score: Math.min(1, score),
          questionCoverage: Math.min(1, coverage),
          queryCoverage: Math.min(1, queryCoverage),
          similarities,
          matchedQuestion: indexed.text,
          // The query's terms (in its order) that the shown question was indexed with.
          matchedTerms: found.filter((t) => contains(t.postings, shown)).map((t) => t.term),
        };
      });
  }

  /** Per term kind, the cosine between the query and the entry's joined questions (0 without them). */
  private kindSimilarities(
    found: QueryTerm[],
    queryKindMasses: Float64Array,
    entryId: string,
  ): Record<TermKind, number> {
    const union = this.unionOf.get(entryId);
    const masses = union === undefined ? undefined : this.unionKindMasses.get(union);
    const dots = new Float64Array(termKinds.length);
    if (union !== undefined) for (const t of found) if (contains(t.postings, union)) dots[kindIndex(t.term)]! += t.gain;
    const out = { word: 0, pair: 0, pinyin: 0, char: 0 };
    termKinds.forEach((kind, k) => {
      const product = queryKindMasses[k]! * (masses?.[k] ?? 0);
      out[kind] = product > 0 ? Math.min(1, dots[k]! / Math.sqrt(product)) : 0;
    });
    return out;
  }

  /** Every question sharing a term with the query, scored; the best per entry. */
  private searchExhaustive(found: QueryTerm[], queryMass: number): Map<string, Scored> {
    const shared = this.scores;
    const touched: number[] = [];
    for (const { postings, gain } of found) {
      for (const question of postings) {
        if (shared[question] === 0) touched.push(question);
        shared[question]! += gain;
      }
    }
    const best = new Map<string, Scored>();
    for (const q of touched) {
      const scored = this.scored(q, shared[q]!, queryMass);
      shared[q] = 0;
      const current = best.get(scored.entryId);
      if (!current || scored.score > current.score) best.set(scored.entryId, scored);
    }
    return best;
  }

  /**
   * The best question per entry for every entry that can make the top `topK` (others may be
   * missing). A similarity is f·dot/√(queryMass·mass) with dot ≤ mass (a question's shared terms
   * are part of its mass), so it is at most f·√(dot/queryMass): to reach θ a question needs
   * dot ≥ θ²·queryMass/f². θ comes from exactly scoring the best questions of the rarest terms;
   * then the commonest terms whose gains add up to less than that are "optional": a question
   * having none of the other terms cannot reach θ, so only the other terms' postings are walked,
   * and a question whose bound with all optional terms stays below θ is not scored.
   */
  private searchPruned(
    found: QueryTerm[],
    queryMass: number,
    topK: number,
    accept: (entry: KnowledgeEntry) => boolean,
  ): Map<string, Scored> {
    const byLength = [...found].sort((a, b) => a.postings.length - b.postings.length);
    let seedSize = 0;
    for (let postings = 0; seedSize < byLength.length; seedSize++) {
      postings += byLength[seedSize]!.postings.length;
      if (seedSize > 0 && postings > SEED_POSTINGS) break;
    }
    // θ: the topK-th best entry among the seed's best questions, scored exactly.
    const seedTerms = new Set(byLength.slice(0, seedSize));
    const seedCount = this.accumulate(found.filter((t) => seedTerms.has(t)));
    const pool = this.bestTouched(seedCount, SEED_POOL).filter((q) => accept(this.questions[q]!.entry));
    const rest = found.filter((t) => !seedTerms.has(t));
    for (const q of pool) for (const t of rest) if (contains(t.postings, q)) this.scores[q]! += t.gain;
    const seedBest = this.bestPerEntry(pool, queryMass);
    this.clear(seedCount);
    const seedScores = [...seedBest.values()].map((s) => s.score).sort((a, b) => b - a);
    // Rounding: sums in another order may differ in the last bits; bounds keep a margin for it.
    const theta = topK >= 1 && seedScores.length >= topK ? seedScores[topK - 1]! * (1 - MARGIN) : 0;
    const needed = (theta * theta * queryMass) / (this.maxFactor * this.maxFactor);
    const optional = new Set<QueryTerm>();
    let optionalGain = 0;
    for (let i = byLength.length - 1; i >= 0; i--) {
      const t = byLength[i]!;
      if (optionalGain + t.gain < needed * (1 - MARGIN)) {
        optional.add(t);
        optionalGain += t.gain;
      }
    }
    const count = this.accumulate(found.filter((t) => !optional.has(t)));
    // Candidates by their bound, best first, so that θ rises early and prunes the rest sooner.
    const bounds = new Float64Array(count);
    const order: number[] = [];
    for (let i = 0; i < count; i++) {
      const q = this.touched[i]!;
      bounds[i] = this.bound(q, this.scores[q]! + optionalGain, queryMass);
      if (bounds[i]! * (1 + MARGIN) >= theta) order.push(i);
    }
    order.sort((a, b) => bounds[b]! - bounds[a]!);
    const leaders = new TopScores(topK, theta);
    for (const seeded of seedBest.values()) leaders.offer(this.questions[seeded.question]!.entryId, seeded.score);
    // Optional terms by gain, largest first: a missing one lowers the bound most.
    const optionalTerms = [...optional].sort((a, b) => b.gain - a.gain);
    const best = new Map<string, Scored>();
    for (const i of order) {
      if (bounds[i]! * (1 + MARGIN) < leaders.threshold) break;
      const q = this.touched[i]!;
      const question = this.questions[q]!;
      if (!accept(question.entry)) continue;
      let dot = this.scores[q]! + optionalGain;
      let pruned = false;
      for (const t of optionalTerms) {
        if (contains(t.postings, q)) continue;
        dot -= t.gain;
        if (this.bound(q, dot, queryMass) * (1 + MARGIN) < leaders.threshold) {
          pruned = true;
          break;
        }
      }
      if (pruned) continue;
      const scored = this.scored(q, dot, queryMass);
      const current = best.get(scored.entryId);
      if (!current || scored.score > current.score || (scored.score === current.score && q < current.question)) {
        best.set(scored.entryId, {
          question: q,
          score: scored.score,
          coverage: scored.coverage,
          queryCoverage: scored.queryCoverage,
        });
        leaders.offer(scored.entryId, scored.score);
      }
    }
    this.clear(count);
    // The scores above were summed in another order than the query's: the leading entries are
    // rescored in the query's order, so that pruning changes no reported score in the last bit.
    const leading = [...best.values()].sort((a, b) => b.score - a.score).slice(0, 2 * topK);
    for (const scored of leading) {
      const exact = this.scored(scored.question, this.dot(found, scored.question), queryMass);
      best.set(exact.entryId, {
        question: exact.question,
        score: exact.score,
        coverage: exact.coverage,
        queryCoverage: exact.queryCoverage,
      });
    }
    return best;
  }

  /** The most a question with this dot product can score (dot ≤ mass: see searchPruned). */
  private bound(q: number, dot: number, queryMass: number): number {
    const mass = this.masses[q]!;
    return (this.factors[q]! * Math.min(dot, mass)) / Math.sqrt(queryMass * mass);
  }

  /** The best of these questions per entry by their `scores`; the lower question on a tie. */
  private bestPerEntry(questions: number[] | Int32Array, queryMass: number): Map<string, Scored> {
    const best = new Map<string, Scored>();
    for (const q of questions) {
      const scored = this.scored(q, this.scores[q]!, queryMass);
      const current = best.get(scored.entryId);
      if (!current || scored.score > current.score || (scored.score === current.score && q < current.question))
        best.set(scored.entryId, {
          question: q,
          score: scored.score,
          coverage: scored.coverage,
          queryCoverage: scored.queryCoverage,
        });
    }
    return best;
  }

  /** Adds the terms' gains into `scores`; returns how many questions it touched (in `touched`). */
  private accumulate(terms: QueryTerm[]): number {
    const shared = this.scores;
    const touched = this.touched;
    let count = 0;
    for (const { postings, gain } of terms) {
      for (let i = 0; i < postings.length; i++) {
        const question = postings[i]!;
        if (shared[question] === 0) touched[count++] = question;
        shared[question]! += gain;
      }
    }
    return count;
  }

  /** The `size` touched questions with the highest partial scores (a min-heap over them), unordered. */
  private bestTouched(count: number, size: number): Int32Array {
    const heap = new Int32Array(Math.min(size, count));
    const scores = this.scores;
    const below = (a: number, b: number) => scores[heap[a]!]! < scores[heap[b]!]!;
    const siftDown = (from: number) => {
      for (let i = from; ; ) {
        const left = 2 * i + 1;
        if (left >= heap.length) return;
        const child = left + 1 < heap.length && below(left + 1, left) ? left + 1 : left;
        if (!below(child, i)) return;
        [heap[i], heap[child]] = [heap[child]!, heap[i]!];
        i = child;
      }
    };
    heap.set(this.touched.subarray(0, heap.length));
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);
    for (let i = heap.length; i < count; i++) {
      const q = this.touched[i]!;
      if (scores[q]! > scores[heap[0]!]!) {
        heap[0] = q;
        siftDown(0);
      }
    }
    return heap;
  }

  private clear(count: number): void {
    for (let i = 0; i < count; i++) this.scores[this.touched[i]!] = 0;
  }

  /** The similarity numerator of one question, summed in the query's term order. */
  private dot(found: QueryTerm[], question: number): number {
    let total = 0;
    for (const { postings, gain } of found) if (contains(postings, question)) total += gain;
    return total;
  }

  private scored(q: number, dot: number, queryMass: number): Scored & { entryId: string } {
    const question = this.questions[q]!;
    return {
      entryId: question.entryId,
      question: q,
      score: (question.factor * dot) / Math.sqrt(queryMass * question.mass),
      coverage: dot / question.mass,
      queryCoverage: dot / queryMass,
    };
  }

  private addUnion(building: Map<string, number[]>, entry: KnowledgeEntry): void {
    const union: TermBag = new Map();
    const first = this.questionTerms.length - 1 - entry.similar.length;
    for (let i = first; i < this.questionTerms.length; i++) {
      for (const [term, weight] of this.questionTerms[i]!) union.set(term, weight);
    }
    const index = this.questions.length;
    this.unionOf.set(entry.id, index);
    this.questions.push({
      entryId: entry.id,
      entry,
      text: entry.question,
      mass: 0,
      factor: this.options.unionFactor,
      shown: first,
    });
    this.questionTerms.push(union);
    addPostings(building, index, union);
  }

  private idf(term: string): number {
    const n = this.entries.size;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** mass() per term kind, in termKinds order. */
  private kindMasses(terms: TermBag): Float64Array {
    const masses = new Float64Array(termKinds.length);
    for (const [term, weight] of terms) {
      const seen = this.documentFrequency.has(term);
      masses[kindIndex(term)]! += weight * this.idf(term) * (seen ? 1 : this.options.unseenWeight);
    }
    return masses;
  }

  private mass(terms: TermBag): number {
    let total = 0;
    for (const [term, weight] of terms) {
      const seen = this.documentFrequency.has(term);
      total += weight * this.idf(term) * (seen ? 1 : this.options.unseenWeight);
    }
    return total;
  }
}

/** Postings of the rarest query terms walked to find a first score the top candidates reach. */
const SEED_POSTINGS = 20_000;
/** How many entries of the seed's best partial matches are scored exactly. */
const SEED_POOL = 50;
/** Relative slack for rounding when comparing bounds computed by sums in another order. */
const MARGIN = 1e-9;

/** Index of a term's kind in termKinds, from its prefix. */
function kindIndex(term: string): number {
  if (term.startsWith('b:')) return 1;
  if (term.startsWith('p:')) return 2;
  if (term.startsWith('c:')) return 3;
  return 0;
}

/** A whole-word term (not a character, character pair or pinyin pair). */
const isWord = (term: string): boolean => !/^[bpc]:/.test(term);

/** Binary search in ascending question ids. */
function contains(list: Int32Array, question: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = list[mid]!;
    if (value === question) return true;
    if (value < question) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function addPostings(building: Map<string, number[]>, question: number, terms: TermBag): void {
  for (const term of terms.keys()) {
    let ids = building.get(term);
    if (!ids) building.set(term, (ids = []));
    ids.push(question);
  }
}

/** The `size` best scores of distinct entries so far; below the last of them nothing can enter. */
class TopScores {
  private readonly scores = new Map<string, number>();
  /** A score that the size-th best entry reaches at least (a floor given at the start). */
  threshold: number;

  constructor(
    private readonly size: number,
    floor: number,
  ) {
    this.threshold = floor;
  }

  offer(entryId: string, score: number): void {
    if (this.size < 1 || score <= (this.scores.get(entryId) ?? -Infinity)) return;
    this.scores.set(entryId, score);
    if (this.scores.size > this.size) {
      let lowest: string | undefined;
      for (const [id, s] of this.scores) if (lowest === undefined || s < this.scores.get(lowest)!) lowest = id;
      this.scores.delete(lowest!);
    }
    if (this.scores.size === this.size) {
      const kth = Math.min(...this.scores.values()) * (1 - MARGIN);
      if (kth > this.threshold) this.threshold = kth;
    }
  }
}
