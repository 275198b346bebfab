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
}

export interface LexicalIndexOptions {
  /**
   * Each entry is also indexed as one document joining all its questions (and, weighted by
   * `answerWeight`, its answer), scored × this factor: a long message that touches words spread
   * over several phrasings still finds the entry. 0 disables it.
   */
  unionFactor: number;
  /** Weight of answer-only terms in the joined document; 0 leaves answers out. */
  answerWeight: number;
  /** Weight of a query term never seen in the knowledge base, relative to the rarest term's. */
  unseenWeight: number;
}

export const defaultLexicalOptions: LexicalIndexOptions = { unionFactor: 0.9, answerWeight: 0, unseenWeight: 1 };

interface Posting {
  question: number;
  weight: number;
}

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
  private postings = new Map<string, Posting[]>();
  private questionTerms: TermBag[] = [];
  private entries = new Map<string, KnowledgeEntry>();
  private documentFrequency = new Map<string, number>();
  private scores = new Float64Array(0);

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

  rebuild(entries: Iterable<KnowledgeEntry>): void {
    this.entries = new Map();
    this.questions = [];
    this.questionTerms = [];
    this.postings = new Map();
    this.documentFrequency = new Map();
    for (const entry of entries) {
      this.entries.set(entry.id, entry);
      const entryTerms = new Set<string>();
      for (const text of [entry.question, ...entry.similar]) {
        const { terms } = this.analyzer.analyze(text);
        const index = this.questions.length;
        this.questions.push({ entryId: entry.id, text, mass: 0, factor: 1 });
        this.questionTerms.push(terms);
        this.addPostings(index, terms);
        for (const term of terms.keys()) entryTerms.add(term);
      }
      if (this.options.unionFactor > 0) this.addUnion(entry, entryTerms);
      for (const term of entryTerms) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
    this.questions.forEach((q, i) => (q.mass = this.mass(this.questionTerms[i]!)));
    this.scores = new Float64Array(this.questions.length);
  }

  search(query: string, options: { topK?: number; accept?: (entry: KnowledgeEntry) => boolean } = {}): Candidate[] {
    const { terms } = this.analyzer.analyze(query);
    if (terms.size === 0 || this.questions.length === 0) return [];
    const queryMass = this.mass(terms);
    const shared = this.scores;
    const touched: number[] = [];
    for (const [term, weight] of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const posting of list) {
        if (shared[posting.question] === 0) touched.push(posting.question);
        shared[posting.question]! += Math.min(weight, posting.weight) * idf;
      }
    }
    const best = new Map<string, { question: number; score: number }>();
    for (const q of touched) {
      const question = this.questions[q]!;
      const score = (question.factor * shared[q]!) / Math.sqrt(queryMass * question.mass);
      shared[q] = 0;
      const current = best.get(question.entryId);
      if (!current || score > current.score) best.set(question.entryId, { question: q, score });
    }
    const accept = options.accept ?? (() => true);
    return [...best.entries()]
      .filter(([entryId]) => accept(this.entries.get(entryId)!))
      .sort(([a, x], [b, y]) => y.score - x.score || a.localeCompare(b))
      .slice(0, options.topK ?? 5)
      .map(([entryId, { question, score }]) => ({
        entryId,
        question: this.entries.get(entryId)!.question,
        score: Math.min(1, score),
        matchedQuestion: this.questions[question]!.text,
        matchedTerms: [...terms.keys()].filter((t) => this.questionTerms[question]!.has(t)),
      }));
  }

  private addPostings(question: number, terms: TermBag): void {
    for (const [term, weight] of terms) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = []));
      list.push({ question, weight });
    }
  }

  private addUnion(entry: KnowledgeEntry, entryTerms: Set<string>): void {
    const union: TermBag = new Map();
    const first = this.questionTerms.length - 1 - entry.similar.length;
    for (let i = first; i < this.questionTerms.length; i++) {
      for (const [term, weight] of this.questionTerms[i]!) union.set(term, Math.max(union.get(term) ?? 0, weight));
    }
    if (this.options.answerWeight > 0) {
      for (const [term, weight] of this.analyzer.analyze(entry.answer).terms) {
        if (!union.has(term)) union.set(term, weight * this.options.answerWeight);
        entryTerms.add(term);
      }
    }
    const index = this.questions.length;
    this.questions.push({ entryId: entry.id, text: entry.question, mass: 0, factor: this.options.unionFactor });
    this.questionTerms.push(union);
    this.addPostings(index, union);
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
