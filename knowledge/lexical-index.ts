import type { KnowledgeEntry } from './entry.js';
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
}

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
}

export const defaultLexicalOptions: LexicalIndexOptions = { unionFactor: 0.9, unseenWeight: 1 };

interface IndexedQuestion {
  entryId: string;
  text: string;
  /** Sum of weight × idf over the question's terms. */
  mass: number;
  /** Multiplies this document's similarity (below 1 for an entry's joined questions). */
  factor: number;
}

/**
 * Inverted index over each entry's standard question and similar questions (not its answer:
 * answers are long and drown the questions). Similarity is a weighted cosine between the query
 * and a question, with term weights by kind (word, character pair, pinyin pair) times inverse
 * document frequency counted per entry. It is bounded in [0, 1] and comparable across queries,
 * which the answer/clarify/abstain decision needs. Query terms never seen in the knowledge base
 * weigh as much as the rarest term, so a question about something the base does not cover
 * scores low.
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
  private indexedText: (entry: KnowledgeEntry, text: string) => string = (_e, t) => t;

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
    this.indexedText = indexedText;
    this.entries = new Map();
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
        this.questions.push({ entryId: entry.id, text, mass: 0, factor: 1 });
        this.questionTerms.push(terms);
        addPostings(building, index, terms);
        for (const term of terms.keys()) entryTerms.add(term);
      }
      if (this.options.unionFactor > 0) this.addUnion(building, entry);
      for (const term of entryTerms) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
    this.postings = new Map([...building].map(([term, ids]) => [term, Int32Array.from(ids)]));
    this.questions.forEach((q, i) => (q.mass = this.mass(this.questionTerms[i]!)));
    this.questionTerms = [];
    this.scores = new Float64Array(this.questions.length);
  }

  search(query: string, options: { topK?: number; accept?: (entry: KnowledgeEntry) => boolean } = {}): Candidate[] {
    const { terms } = this.analyzer.analyze(query);
    if (terms.size === 0 || this.questions.length === 0) return [];
    const queryMass = this.mass(terms);
    const shared = this.scores;
    const touched: number[] = [];
    // Very common terms have long postings but add little: they are left out of candidate
    // generation and added afterwards, exactly, for the best candidates only.
    const deferred: [Int32Array, number][] = [];
    for (const [term, weight] of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const gain = weight * this.idf(term);
      if (list.length > COMMON_POSTINGS) {
        deferred.push([list, gain]);
        continue;
      }
      for (const question of list) {
        if (shared[question] === 0) touched.push(question);
        shared[question]! += gain;
      }
    }
    const accept = options.accept ?? (() => true);
    let pool = touched;
    if (deferred.length) {
      // The pool is chosen among acceptable entries only, or filtered-out ones could crowd it.
      const acceptable = touched.filter((q) => {
        if (accept(this.entries.get(this.questions[q]!.entryId)!)) return true;
        shared[q] = 0;
        return false;
      });
      acceptable.sort((a, b) => shared[b]! - shared[a]!);
      pool = acceptable.slice(0, DEFERRED_POOL);
      for (const question of acceptable.slice(DEFERRED_POOL)) shared[question] = 0;
      for (const question of pool) {
        for (const [list, gain] of deferred) if (contains(list, question)) shared[question]! += gain;
      }
    }
    const best = new Map<string, { question: number; score: number; coverage: number; queryCoverage: number }>();
    for (const q of pool) {
      const question = this.questions[q]!;
      const score = (question.factor * shared[q]!) / Math.sqrt(queryMass * question.mass);
      const coverage = shared[q]! / question.mass;
      const queryCoverage = shared[q]! / queryMass;
      shared[q] = 0;
      const current = best.get(question.entryId);
      if (!current || score > current.score)
        best.set(question.entryId, { question: q, score, coverage, queryCoverage });
    }
    return [...best.entries()]
      .filter(([entryId]) => accept(this.entries.get(entryId)!))
      .sort(([a, x], [b, y]) => y.score - x.score || a.localeCompare(b))
      .slice(0, options.topK ?? 5)
      .map(([entryId, { question, score, coverage, queryCoverage }]) => {
        const matchedQuestion = this.questions[question]!.text;
        const questionTerms = this.analyzer.analyze(
          this.indexedText(this.entries.get(entryId)!, matchedQuestion),
        ).terms;
        return {
          entryId,
          question: this.entries.get(entryId)!.question,
          score: Math.min(1, score),
          questionCoverage: Math.min(1, coverage),
          queryCoverage: Math.min(1, queryCoverage),
          matchedQuestion,
          matchedTerms: [...terms.keys()].filter((t) => questionTerms.has(t)),
        };
      });
  }

  private addUnion(building: Map<string, number[]>, entry: KnowledgeEntry): void {
    const union: TermBag = new Map();
    const first = this.questionTerms.length - 1 - entry.similar.length;
    for (let i = first; i < this.questionTerms.length; i++) {
      for (const [term, weight] of this.questionTerms[i]!) union.set(term, weight);
    }
    const index = this.questions.length;
    this.questions.push({ entryId: entry.id, text: entry.question, mass: 0, factor: this.options.unionFactor });
    this.questionTerms.push(union);
    addPostings(building, index, union);
  }

  private idf(term: string): number {
    const n = this.entries.size;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
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

/** Postings longer than this are deferred (see search); with 10,000 entries that is 5% of questions. */
const COMMON_POSTINGS = 2500;
/** How many best partial matches receive the deferred terms. */
const DEFERRED_POOL = 300;

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
