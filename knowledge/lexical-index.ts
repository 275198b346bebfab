import type { KnowledgeEntry } from './entry.js';
import { HomophoneCorrector } from './homophone-correction.js';
import { normaliseText } from './normalise.js';
import { siblingConflict, subjectWordsOf } from './sibling-conflict.js';
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
  /**
   * The query names a sibling of the entry's subject, "query word/subject word" (结婚证/身份证, see
   * siblingConflict): the entry answers another question. Absent when none does.
   */
  conflict?: string;
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
  /**
   * Postings of the rarest query terms walked to find a first score the top candidates reach
   * (default 40,000; tests lower it to exercise pruning from a weak start).
   */
  seedPostings?: number;
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
  /** Its number in the index. */
  id: number;
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
  /** Term → its number, the index in `lists` of the ids of the questions containing it. */
  private termIds = new Map<string, number>();
  /** A term's weight is fixed by its kind, so postings are just question ids, ascending. */
  private lists: Int32Array[] = [];
  /**
   * Each question's term numbers, in the analyzer's order, the questions one after another (from
   * `forwardStart[q]`): a candidate is scored in one pass over its own terms, not with a binary
   * search in every query term's postings, which cost most of a search at 100k entries.
   */
  private forward: Uint16Array | Int32Array = new Int32Array(0);
  private forwardStart = new Int32Array(1);
  /** Per term number: its place among the current query's terms, or -1. */
  private queryPlace = new Int32Array(0);
  /** Per term number: its gain in the current query, or 0. */
  private queryGain = new Float64Array(0);
  private entries = new Map<string, KnowledgeEntry>();
  private documentFrequency = new Map<string, number>();
  private scores = new Float64Array(0);
  /** Questions with a non-zero score in `scores` (the first `touchedCount`). */
  private touched = new Int32Array(0);
  /**
   * Candidates of a pruned search (room for every question): allocated once, as a search's
   * arrays of a megabyte or more made for garbage-collection pauses in the latency tail.
   */
  private heap = new BoundHeap(0);
  /** Largest question factor: a bound on how much a factor can lift a similarity. */
  private maxFactor = 1;
  /** factor / √mass of each question: its similarity is norm × dot / √queryMass. */
  private norms = new Float64Array(0);
  /** Each question's norm and mass side by side: one memory read for both in the pruning loop. */
  private normsAndMasses = new Float64Array(0);
  /** Per term number: the largest norm of a question containing it (see searchPruned). */
  private termNorms = new Float64Array(0);
  /** Entry id → its joined questions' document (when unionFactor > 0). */
  private unionOf = new Map<string, number>();
  /** Per joined document, its mass per term kind (in termKinds order). */
  private unionKindMasses = new Map<number, Float64Array>();
  /** Per entry, the nouns most of its phrasings use (see subjectWordsOf); entries without any are absent. */
  private subjects = new Map<string, string[]>();
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
    this.subjects = new Map();
    this.unionOf = new Map();
    this.questions = [];
    // Terms are numbered as they come and every question's terms kept as numbers in one array
    // (not a map per question and a growing list per term): at 100k entries those maps and
    // lists were most of the build's garbage collection.
    const ids = new Map<string, number>();
    const names: string[] = [];
    /** Per term number: its weight when first seen (a term's weight is fixed by its kind). */
    const weights: number[] = [];
    /** Where in `bag` a term came with another weight than its first (kept exact, should it happen). */
    const otherWeights = new Map<number, number>();
    const frequency: number[] = [];
    /** Per term number: the last entry (in order) that had it, and where it is in that entry's union. */
    const lastEntry: number[] = [];
    const unionPlace: number[] = [];
    const bag = new GrowingInt32Array();
    const starts: number[] = [0];
    let ordinal = 0;
    const nounCache = new Map<string, boolean>();
    const weightAt = (at: number) => (otherWeights.size > 0 ? otherWeights.get(at) : undefined) ?? weights[bag.at(at)]!;
    for (const entry of entries) {
      this.entries.set(entry.id, entry);
      const first = this.questions.length;
      const entryStart = bag.length;
      const phrasingWords: string[][] = [];
      for (const text of [entry.question, ...entry.similar]) {
        const { terms, words } = this.analyzer.analyze(indexedText(entry, text));
        phrasingWords.push(words);
        this.questions.push({ entryId: entry.id, entry, text, mass: 0, factor: 1, shown: this.questions.length });
        for (const [term, weight] of terms) {
          let id = ids.get(term);
          if (id === undefined) {
            id = names.length;
            ids.set(term, id);
            names.push(term);
            weights.push(weight);
            frequency.push(0);
            lastEntry.push(-1);
            unionPlace.push(-1);
          } else if (weight !== weights[id]) otherWeights.set(bag.length, weight);
          if (lastEntry[id] !== ordinal) {
            lastEntry[id] = ordinal;
            frequency[id]!++;
          }
          bag.push(id);
        }
        starts.push(bag.length);
      }
      // Only nouns can be siblings; one string per word (the term's) keeps 100k entries' lists small.
      const subjects = subjectWordsOf(phrasingWords)
        .filter((word) => nounCache.get(word) ?? nounCache.set(word, this.analyzer.isNoun(word)).get(word))
        .map((word) => names[ids.get(word) ?? -1] ?? word);
      if (subjects.length > 0) this.subjects.set(entry.id, subjects);
      if (this.options.unionFactor > 0) {
        // The entry's terms in the order first seen, each with the weight it came with last.
        const entryEnd = bag.length;
        for (let at = entryStart; at < entryEnd; at++) {
          const id = bag.at(at);
          const weight = weightAt(at);
          let place = unionPlace[id]!;
          if (place < entryEnd) {
            place = unionPlace[id] = bag.length;
            bag.push(id);
          }
          if (weight !== weights[id]) otherWeights.set(place, weight);
          else if (otherWeights.size > 0) otherWeights.delete(place);
        }
        this.unionOf.set(entry.id, this.questions.length);
        this.questions.push({
          entryId: entry.id,
          entry,
          text: entry.question,
          mass: 0,
          factor: this.options.unionFactor,
          shown: first,
        });
        starts.push(bag.length);
      }
      ordinal++;
    }
    const n = this.entries.size;
    this.documentFrequency = new Map(names.map((name, id) => [name, frequency[id]!]));
    const idf = frequency.map((df) => Math.log(1 + (n - df + 0.5) / (df + 0.5)));
    this.questions.forEach((q, i) => {
      // As mass() sums a bag: in the analyzer's order (the same figure to the last bit).
      let total = 0;
      for (let at = starts[i]!; at < starts[i + 1]!; at++) total += weightAt(at) * idf[bag.at(at)]!;
      q.mass = total;
    });
    this.termIds = ids;
    this.lists = postingsOf(bag, starts, names.length);
    this.forward = names.length <= 0x10000 ? new Uint16Array(bag.view()) : bag.view().slice();
    this.forwardStart = Int32Array.from(starts);
    this.queryPlace = new Int32Array(names.length).fill(-1);
    this.queryGain = new Float64Array(names.length);
    this.unionKindMasses = new Map(
      [...this.unionOf.values()].map((u) => {
        const masses = new Float64Array(termKinds.length);
        for (let at = starts[u]!; at < starts[u + 1]!; at++) {
          const id = bag.at(at);
          masses[kindIndex(names[id]!)]! += weightAt(at) * idf[id]!;
        }
        return [u, masses];
      }),
    );
    this.corrector = new HomophoneCorrector([...names.filter(isWord), ...this.analyzer.synonymWords()], {
      cut: (text) => this.analyzer.dictionaryWords(text),
      isKnownPair: (pair) => ids.has(`b:${pair}`),
      isFunctionWord: (character) => this.analyzer.isStopword(character),
      isCommonWord: (word) => this.analyzer.isCommonWord(word),
    });
    this.scores = new Float64Array(this.questions.length);
    this.touched = new Int32Array(this.questions.length);
    this.heap = new BoundHeap(this.questions.length);
    this.norms = Float64Array.from(this.questions, (q) => q.factor / Math.sqrt(q.mass));
    this.normsAndMasses = new Float64Array(2 * this.questions.length);
    this.questions.forEach((q, i) => this.normsAndMasses.set([this.norms[i]!, q.mass], 2 * i));
    this.termNorms = Float64Array.from(this.lists, (list) => {
      let most = 0;
      for (let i = 0; i < list.length; i++) most = Math.max(most, this.norms[list[i]!]!);
      return most;
    });
    this.maxFactor = Math.max(1, this.options.unionFactor);
  }

  /** The knowledge-base words a normalised query probably meant where voice input misheard (see HomophoneCorrector). */
  corrections(normalised: string): string[] {
    return this.corrector.corrections(normalised);
  }

  search(query: string, options: { topK?: number; accept?: (entry: KnowledgeEntry) => boolean } = {}): Candidate[] {
    const { terms, words } = this.analyzer.analyze(query, this.corrector);
    if (terms.size === 0 || this.questions.length === 0) return [];
    const queryMass = this.mass(terms);
    const topK = options.topK ?? 5;
    const messageWords = new Set(words);
    const accept = options.accept ?? (() => true);
    const found: QueryTerm[] = [];
    let postings = 0;
    for (const [term, weight] of terms) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const list = this.lists[id]!;
      found.push({ term, id, postings: list, gain: weight * this.idf(term) });
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
          matchedTerms: this.matchedTerms(found, shown),
          ...this.conflictWith(messageWords, indexed.entry),
        };
      });
  }

  /** `{ conflict }` when the query names a sibling of the entry's subject (see siblingConflict), else `{}`. */
  private conflictWith(messageWords: ReadonlySet<string>, entry: KnowledgeEntry): { conflict?: string } {
    const subjects = this.subjects.get(entry.id);
    if (!subjects) return {};
    const conflict = siblingConflict(messageWords, subjects, {
      isNoun: (word) => this.analyzer.isNoun(word),
      entryUses: (word) => this.entryUses(entry, word),
    });
    return conflict === undefined ? {} : { conflict };
  }

  /** Whether the entry's phrasings were indexed with the word, or any of its texts contains it. */
  private entryUses(entry: KnowledgeEntry, word: string): boolean {
    const id = this.termIds.get(word);
    const union = this.unionOf.get(entry.id);
    if (id !== undefined && union !== undefined) {
      for (let at = this.forwardStart[union]!; at < this.forwardStart[union + 1]!; at++)
        if (this.forward[at] === id) return true;
    }
    return [entry.question, ...entry.similar, entry.answer].some((text) => normaliseText(text).includes(word));
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
    if (union !== undefined)
      for (const term of this.matchedTermsOf(found, union)) dots[kindIndex(term.term)]! += term.gain;
    const out = { word: 0, pair: 0, pinyin: 0, char: 0 };
    termKinds.forEach((kind, k) => {
      const product = queryKindMasses[k]! * (masses?.[k] ?? 0);
      out[kind] = product > 0 ? Math.min(1, dots[k]! / Math.sqrt(product)) : 0;
    });
    return out;
  }

  /** The query's terms (in its order) that a question was indexed with. */
  private matchedTerms(found: QueryTerm[], q: number): string[] {
    return this.matchedTermsOf(found, q).map((t) => t.term);
  }

  private matchedTermsOf(found: QueryTerm[], q: number): QueryTerm[] {
    const { forward, queryGain } = this;
    const start = this.forwardStart[q]!;
    const end = this.forwardStart[q + 1]!;
    // queryGain is all zero between searches: a term's own number marks it for a moment.
    for (let i = start; i < end; i++) queryGain[forward[i]!] = 1;
    const matched: QueryTerm[] = [];
    for (const t of found) if (queryGain[t.id] === 1) matched.push(t);
    for (let i = start; i < end; i++) queryGain[forward[i]!] = 0;
    return matched;
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
   * having none of the other terms cannot reach θ, so only the other terms' postings are walked.
   * Candidates are then scored exactly, best bound first, until no bound reaches the top.
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
      if (seedSize > 0 && postings > (this.options.seedPostings ?? SEED_POSTINGS)) break;
    }
    found.forEach((t, place) => {
      this.queryPlace[t.id] = place;
      this.queryGain[t.id] = t.gain;
    });
    const present = new Uint8Array(found.length);
    const exact = (q: number) => this.scored(q, this.exactDot(found, present, q), queryMass);
    try {
      // θ: the topK-th best entry among the seed's best questions, scored exactly.
      const seedTerms = new Set(byLength.slice(0, seedSize));
      const seedCount = this.accumulate(found.filter((t) => seedTerms.has(t)));
      // The pool grows until it holds topK accepted entries: when the filter rejects most of the
      // best partial matches (another district's), a fixed pool left θ at 0 and nothing was pruned.
      let pool: number[] = [];
      for (let size = Math.max(SEED_POOL, 16 * topK); ; size *= 4) {
        pool = [...this.bestTouched(seedCount, size)].filter((q) => accept(this.questions[q]!.entry));
        if (size >= seedCount || size >= MAX_SEED_POOL) break;
        if (new Set(pool.map((q) => this.questions[q]!.entryId)).size >= topK) break;
      }
      const seedBest = new Map<string, Scored>();
      for (const q of pool) keepBest(seedBest, exact(q));
      const seedScores = [...seedBest.values()].map((s) => s.score).sort((a, b) => b - a);
      // Rounding: sums in another order may differ in the last bits; bounds keep a margin for it.
      const theta = topK >= 1 && seedScores.length >= topK ? seedScores[topK - 1]! * (1 - MARGIN) : 0;
      const rootMass = Math.sqrt(queryMass);
      const optional = new Set<QueryTerm>();
      let optionalGain = 0;
      let optionalReach = 0;
      // The seed's terms stay required: their sums are kept, not walked again.
      for (let i = byLength.length - 1; i >= seedSize; i--) {
        const t = byLength[i]!;
        const gain = optionalGain + t.gain;
        const reach = optionalReach + t.gain * this.termNorms[t.id]!;
        // A question with only optional terms scores at most f·√(dot/queryMass) (dot ≤ mass), and
        // at most the sum of each term's gain × the largest norm among the questions having it:
        // the second is much tighter when no short question has the common terms.
        const bound = Math.min(this.maxFactor * Math.sqrt(gain / queryMass), reach / rootMass);
        if (bound * (1 + MARGIN) < theta) {
          optional.add(t);
          optionalGain = gain;
          optionalReach = reach;
        }
      }
      const count = this.accumulate(
        found.filter((t) => !optional.has(t) && !seedTerms.has(t)),
        seedCount,
      );
      // Candidates in a max-heap by their bound, so that θ rises early and prunes the rest sooner;
      // a heap, not a sort: only the few candidates above the final θ are ever taken out.
      const heap = this.heap;
      heap.clear();
      const floor = theta / (1 + MARGIN);
      // Most candidates fall short already by the f·√(dot/queryMass) bound, which needs no other
      // figure of theirs (reading those, at random places, costs more than the arithmetic).
      const short = ((floor * floor * queryMass) / (this.maxFactor * this.maxFactor)) * (1 - MARGIN) - optionalGain;
      const { scores, touched, normsAndMasses } = this;
      for (let i = 0; i < count; i++) {
        const q = touched[i]!;
        const partial = scores[q]!;
        scores[q] = 0;
        if (partial < short) continue;
        const mass = normsAndMasses[2 * q + 1]!;
        const bound = (normsAndMasses[2 * q]! * Math.min(partial + optionalGain, mass)) / rootMass;
        if (bound >= floor) heap.push(q, bound);
      }
      heap.heapify();
      const leaders = new TopScores(topK, theta);
      const { forward, forwardStart, queryGain, norms } = this;
      for (const seeded of seedBest.values()) leaders.offer(this.questions[seeded.question]!.entryId, seeded.score);
      const best = new Map<string, Scored>();
      while (heap.size > 0 && heap.topBound() * (1 + MARGIN) >= leaders.threshold) {
        const q = heap.pop();
        // Most candidates fall short of the leaders: a quick sum in the question's term order tells
        // (up to rounding), before the exact sum, a filter call or an allocation.
        let quick = 0;
        for (let i = forwardStart[q]!, end = forwardStart[q + 1]!; i < end; i++) quick += queryGain[forward[i]!]!;
        if ((norms[q]! * quick * (1 + MARGIN)) / rootMass < leaders.threshold) continue;
        if (!accept(this.questions[q]!.entry)) continue;
        // Summed in the query's term order, as the exhaustive search does: the same score to the last bit.
        const scored = this.scored(q, this.exactDot(found, present, q), queryMass);
        if (keepBest(best, scored)) leaders.offer(scored.entryId, scored.score);
      }
      return best;
    } finally {
      for (const t of found) {
        this.queryPlace[t.id] = -1;
        this.queryGain[t.id] = 0;
      }
    }
  }

  /**
   * A question's similarity numerator, summed in the query's term order (from the forward index).
   * @param present all zero, one per query term; left all zero
   */
  private exactDot(found: QueryTerm[], present: Uint8Array, q: number): number {
    const forward = this.forward;
    const place = this.queryPlace;
    for (let i = this.forwardStart[q]!, end = this.forwardStart[q + 1]!; i < end; i++) {
      const at = place[forward[i]!]!;
      if (at >= 0) present[at] = 1;
    }
    let total = 0;
    for (let i = 0; i < found.length; i++) {
      if (present[i] === 0) continue;
      total += found[i]!.gain;
      present[i] = 0;
    }
    return total;
  }

  /**
   * Adds the terms' gains into `scores`; returns how many questions it touched (in `touched`).
   * @param count how many `touched` already holds
   */
  private accumulate(terms: QueryTerm[], count = 0): number {
    const shared = this.scores;
    const touched = this.touched;
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
const SEED_POSTINGS = 40_000;
/** How many entries of the seed's best partial matches are scored exactly. */
const SEED_POOL = 50;
/** The most seed questions scored exactly while looking for topK accepted entries. */
const MAX_SEED_POOL = 3200;
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
export const isWord = (term: string): boolean => !/^[bpc]:/.test(term);

/** Each term's questions, ascending, from the questions' terms. */
function postingsOf(bag: GrowingInt32Array, starts: number[], terms: number): Int32Array[] {
  const counts = new Int32Array(terms);
  for (let at = 0; at < bag.length; at++) counts[bag.at(at)]!++;
  const lists = Array.from(counts, (count) => new Int32Array(count));
  const filled = new Int32Array(terms);
  for (let q = 0; q + 1 < starts.length; q++) {
    for (let at = starts[q]!; at < starts[q + 1]!; at++) {
      const id = bag.at(at);
      lists[id]![filled[id]!++] = q;
    }
  }
  return lists;
}

/** Numbers appended one by one into a typed array that doubles when full. */
class GrowingInt32Array {
  private items = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(2 * this.items.length);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = value;
  }

  at(index: number): number {
    return this.items[index]!;
  }

  /** The numbers so far (sharing memory with this array). */
  view(): Int32Array {
    return this.items.subarray(0, this.length);
  }
}

/** The `size` best scores of distinct entries so far; below the last of them nothing can enter. */
class TopScores {
  /** At most `size` entries and their best scores (arrays, not a map: offered often, allocates nothing). */
  private readonly ids: string[] = [];
  private readonly scores: number[] = [];
  /** A score that the size-th best entry reaches at least (a floor given at the start). */
  threshold: number;

  constructor(
    private readonly size: number,
    floor: number,
  ) {
    this.threshold = floor;
  }

  offer(entryId: string, score: number): void {
    const { ids, scores } = this;
    if (this.size < 1) return;
    const at = ids.indexOf(entryId);
    if (at >= 0) {
      if (score <= scores[at]!) return;
      scores[at] = score;
    } else if (ids.length < this.size) {
      ids.push(entryId);
      scores.push(score);
    } else {
      // An entry that drops out scored at most every one kept, so it never needs to be recalled.
      const lowest = lowestOf(scores);
      if (score <= scores[lowest]!) return;
      ids[lowest] = entryId;
      scores[lowest] = score;
    }
    if (ids.length === this.size) {
      const kth = scores[lowestOf(scores)]! * (1 - MARGIN);
      if (kth > this.threshold) this.threshold = kth;
    }
  }
}

function lowestOf(scores: number[]): number {
  let lowest = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! < scores[lowest]!) lowest = i;
  return lowest;
}

/** Keeps the better of an entry's questions (the lower one on a tie); true if this one was kept. */
function keepBest(best: Map<string, Scored>, scored: Scored & { entryId: string }): boolean {
  const current = best.get(scored.entryId);
  if (
    current &&
    (scored.score < current.score || (scored.score === current.score && scored.question > current.question))
  )
    return false;
  const { question, score, coverage, queryCoverage } = scored;
  best.set(scored.entryId, { question, score, coverage, queryCoverage });
  return true;
}

/** Questions by a bound on their similarity, the highest first (filled, then heapified). */
class BoundHeap {
  private readonly questions: Int32Array;
  private readonly bounds: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.questions = new Int32Array(capacity);
    this.bounds = new Float64Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  push(question: number, bound: number): void {
    this.questions[this.size] = question;
    this.bounds[this.size++] = bound;
  }

  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  topBound(): number {
    return this.bounds[0]!;
  }

  pop(): number {
    const top = this.questions[0]!;
    this.size--;
    this.questions[0] = this.questions[this.size]!;
    this.bounds[0] = this.bounds[this.size]!;
    this.siftDown(0);
    return top;
  }

  private siftDown(from: number): void {
    const { questions, bounds, size } = this;
    const question = questions[from]!;
    const bound = bounds[from]!;
    let i = from;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && bounds[child + 1]! > bounds[child]!) child++;
      if (bounds[child]! <= bound) break;
      questions[i] = questions[child]!;
      bounds[i] = bounds[child]!;
      i = child;
    }
    questions[i] = question;
    bounds[i] = bound;
  }
}
